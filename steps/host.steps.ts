/**
 * Host steps: firmware (STFLE facilities, QCI), the AP configuration, the AP bus masks and the host
 * kernel's build (spec/steps.md, "Host").
 */
import { expect } from 'chai';
import { FAC_MSAX3, FAC_QCI, cexDeviceType, formatApqn } from '../src/sim/api';
import { step } from './support/define';
import { stepError } from './support/errors';
import { formatIds } from './support/parse';
import type { ApWorld } from './support/world';

type QueueDriver = 'vfio_ap' | 'cex4queue' | 'none';

/** An adapter's device type is hardware the AP bus reads at boot: after boot the simulator refuses, and the step says where to move it. */
function setAdapterType(world: ApWorld, apid: number, type: number): void {
  const r = world.sys.host.setAdapterType(apid, type);
  if (!r.ok) throw stepError(`"${world.currentStep}" comes too late: ${r.message}.`);
}

step(
  'Given',
  'an s390 host',
  {
    meaning:
      'An LPAR with AP instructions, facilities 12/15/65/76, QCI with APXA (Na 255, Nd 84), adapters 0-3 (CEX6) with domains 0-15, and Linux 4.20 KVM under the run\'s policy.',
    example: 'Given an s390 host',
  },
  function (this: ApWorld) {
    this.createHost();
  },
);

step(
  'Given',
  'an s390 host without AP instructions',
  {
    meaning: 'The default host, but PQAP/NQAP/DQAP raise an operation exception (and facilities 12, 15, 65 are gone).',
    example: 'Given an s390 host without AP instructions',
  },
  function (this: ApWorld) {
    this.createHost().host.removeApInstructions();
  },
);

step(
  'Given',
  'the host has no AP extended addressing',
  {
    meaning: 'QCI reports APXA = 0: the highest adapter id is 63 and the highest domain id 15 (apm_max, aqm_max, adm_max).',
    example: 'Given the host has no AP extended addressing',
  },
  function (this: ApWorld) {
    this.sys.host.setApxa(false);
  },
);

step(
  'Given',
  'the host has no QCI facility',
  {
    meaning: 'STFLE facility 12 is not installed: no AP configuration information; limits 63 and 15.',
    example: 'Given the host has no QCI facility',
  },
  function (this: ApWorld) {
    this.sys.host.setFacility(FAC_QCI, false);
  },
);

step(
  'Given',
  'the host has no MSAX3 facility',
  {
    meaning: 'STFLE facility 76 (message-security-assist extension 3) is not installed, so guests get a format-0 CRYCB.',
    example: 'Given the host has no MSAX3 facility',
  },
  function (this: ApWorld) {
    this.sys.host.setFacility(FAC_MSAX3, false);
  },
);

step(
  'Given',
  'the host has no adapter-interruption virtualization',
  {
    meaning:
      "No GISA for guests (sclp AIV not installed): from Linux 5.3 vcpus then lack ECA_AIV, and vfio_ap's AQIC hook answers -EOPNOTSUPP, which ends as an operation exception from QEMU.",
    example: 'Given the host has no adapter-interruption virtualization',
  },
  function (this: ApWorld) {
    this.sys.host.setAiv(false);
  },
);

step(
  'Given',
  "the host's AP configuration has adapters {ids} and domains {ids}",
  {
    meaning: 'Replace the configured adapters (CEX6) and usage domains; every APQN of adapters x domains exists as a queue device.',
    example: "Given the host's AP configuration has adapters 5 and 6 and domains 4-7",
  },
  function (this: ApWorld, adapters: number[], domains: number[]) {
    this.sys.host.configure(adapters, domains);
  },
);

step(
  'Given',
  "the host's control domains are {ids}",
  {
    meaning: "Replace the QCI control-domain mask (ADM) of the host's AP configuration.",
    example: "Given the host's control domains are 0-15 and 0x20",
  },
  function (this: ApWorld, ids: number[]) {
    this.sys.host.setControlDomains(ids);
  },
);

step(
  'Given',
  'adapter {id} is a CEX{int}',
  {
    meaning: 'Set the AP device type of an adapter: CEX4 = 10 ... CEX8 = 14 (vfio_ap in 4.20 binds CEX4 to CEX6).',
    example: 'Given adapter 3 is a CEX4',
  },
  function (this: ApWorld, apid: number, generation: number) {
    const type = cexDeviceType(generation);
    if (type === undefined)
      throw this.failure(
        `"CEX${generation}" does not name one AP device type: write CEX4 to CEX8, or for older adapters  Given adapter ${apid} has AP device type <n>  (CEX2A 6, CEX2C 7, CEX3A 8, CEX3C 9).`,
      );
    setAdapterType(this, apid, type);
  },
);

step(
  'Given',
  'adapter {id} has AP device type {int}',
  {
    meaning: 'Set the raw AP device type an adapter reports in TAPQ (e.g. 7 for a CEX2C, AP_DEVICE_TYPE_CEX2C in ap_bus.h, below vfio_ap\'s CEX4 minimum of 10).',
    example: 'Given adapter 3 has AP device type 7',
  },
  function (this: ApWorld, apid: number, type: number) {
    setAdapterType(this, apid, type);
  },
);

step(
  'Given',
  'AP queue {apqn} answers with response code {rc}',
  {
    meaning: 'The real queue reports this response code to TAPQ/ZAPQ (0x02 reset in progress, 0x05 busy, 0x03 deconfigured ...).',
    example: 'Given AP queue 02.0004 answers with response code 0x05',
  },
  function (this: ApWorld, q: number, rc: number) {
    this.sys.host.setQueueResponseCode(q, rc);
  },
);

step(
  'Given',
  "the host's KVM allocates a CRYCB only for guests with MSAX3",
  {
    meaning:
      'A host kernel before the 4.20 crypto-init refactor: kvm_s390_crypto_init gives a VM a CRYCB only if it has facility 76. Not applicable from Linux 5.3 (vfio_ap then needs kvm->arch.crypto.pqap_hook).',
    example: "Given the host's KVM allocates a CRYCB only for guests with MSAX3",
  },
  function (this: ApWorld) {
    // Applicable only where this policy's vfio_ap could run on such a KVM (Linux 4.20's, the thread's
    // subject); from 5.3 vfio_ap needs kvm->arch.crypto.pqap_hook (KvmModule.preRefactorCryptoInitFits).
    const fit = this.sys.host.setKvmCrycbOnlyWithMsax3();
    if (!fit.applicable) return this.notApplicableBecause(fit.reason);
    return undefined;
  },
);

step(
  'Given',
  "the host's highest adapter id is {id} and highest domain id is {id}",
  {
    meaning: 'QCI Na and Nd: the highest APID and APQI the host addresses with APXA (default 255 and 84); an mdev accepts ids up to them (ENODEV above).',
    example: "Given the host's highest adapter id is 15 and highest domain id is 7",
  },
  function (this: ApWorld, na: number, nd: number) {
    this.sys.host.setMaxIds(na, nd);
  },
);

step(
  'Given',
  'adapters {ids} are reserved for pass-through',
  {
    meaning: 'Remove the adapters from /sys/bus/ap/apmask, so their queues leave the default zcrypt driver (and bind to vfio_ap when it is loaded).',
    example: 'Given adapters 2 and 3 are reserved for pass-through',
  },
  function (this: ApWorld, ids: number[]) {
    this.require(`reserving adapters ${formatIds(ids)} in the AP bus apmask`, this.sys.apBus.reserveForPassThrough('apmask', ids));
  },
);

step(
  'Given',
  'domains {ids} are reserved for pass-through',
  {
    meaning: 'Remove the domains from /sys/bus/ap/aqmask, so their queues leave the default zcrypt driver.',
    example: 'Given domains 4 and 5 are reserved for pass-through',
  },
  function (this: ApWorld, ids: number[]) {
    this.require(`reserving domains ${formatIds(ids)} in the AP bus aqmask`, this.sys.apBus.reserveForPassThrough('aqmask', ids));
  },
);

step(
  'When',
  'the administrator writes {string} to the AP bus {ap_mask}',
  {
    meaning: 'echo text > /sys/bus/ap/apmask (or aqmask): absolute hex, or "+n,-m,+a-b" edits; the bus then reprobes the queues.',
    example: 'When the administrator writes "-2,-3" to the AP bus apmask',
  },
  function (this: ApWorld, text: string, mask: 'apmask' | 'aqmask') {
    this.act(this.sys.apBus.storeMask(mask, text));
  },
);

step(
  'Then',
  'the AP bus {ap_mask} reads {string}',
  {
    meaning: 'cat /sys/bus/ap/apmask (or aqmask): "0x" and 64 hex digits, the leftmost bit is id 0.',
    example: 'Then the AP bus apmask reads "0xcfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"',
  },
  function (this: ApWorld, mask: 'apmask' | 'aqmask', expected: string) {
    const actual = this.sys.apBus.showMask(mask);
    this.check(
      () => expect(actual).to.equal(expected),
      () => `expected /sys/bus/ap/${mask} to read\n  ${expected}\nbut the simulated AP bus shows\n  ${actual}`,
    );
  },
);

const DRIVER_WORDS: Record<string, QueueDriver> = {
  vfio_ap: 'vfio_ap',
  'the default driver': 'cex4queue',
  'no driver': 'none',
};

step(
  'Then',
  'queue {apqn} is bound to {queue_driver}',
  {
    meaning: 'Which driver the AP bus bound the host queue device to: vfio_ap, the default zcrypt driver (cex4queue) or none.',
    example: 'Then queue 02.0004 is bound to vfio_ap',
  },
  function (this: ApWorld, q: number, driverWords: string) {
    const expected = DRIVER_WORDS[driverWords];
    const actual = this.sys.apBus.driverOf(q);
    this.check(
      () => expect(actual).to.equal(expected),
      () =>
        actual === undefined
          ? `expected queue ${formatApqn(q)} to be bound to ${driverWords}, but the host has no such queue device`
          : `expected queue ${formatApqn(q)} to be bound to ${driverWords} (${expected}), but the simulated AP bus bound it to ${actual}`,
    );
  },
);
