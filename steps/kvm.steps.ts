/**
 * KVM and VFIO as a VMM drives them (single ioctls), and what KVM and firmware hold for a guest:
 * the CRYCB (format and AP masks) and ECA.28 (spec/steps.md, "Guests" and "What KVM and firmware
 * hold").
 */
import { expect } from 'chai';
import type { CrycbMasks } from '../src/sim/api';
import { step } from './support/define';
import { formatIds, parseCryptoAttr } from './support/parse';
import type { ApWorld } from './support/world';

step(
  'When',
  'the VMM {apie_switch} APIE for {string}',
  {
    meaning: 'KVM_SET_DEVICE_ATTR KVM_S390_VM_CRYPTO_ENABLE_APIE / DISABLE_APIE (kvm_s390_vm_set_crypto): sets ECA.28 on every vcpu, or clears it.',
    example: 'When the VMM disables APIE for "g1"',
  },
  function (this: ApWorld, enable: boolean, guest: string) {
    this.act(this.sys.vmm.setCryptoAttr(guest, enable ? 'ENABLE_APIE' : 'DISABLE_APIE'));
  },
);

step(
  'When',
  'the VMM {apie_switch} {key_wrapping} key wrapping for {string}',
  {
    meaning: 'KVM_S390_VM_CRYPTO_ENABLE/DISABLE_AES_KW or _DEA_KW (kvm_s390_vm_set_crypto): EINVAL without guest facility 76.',
    example: 'When the VMM disables AES key wrapping for "g1"',
  },
  function (this: ApWorld, enable: boolean, kind: 'AES' | 'DEA', guest: string) {
    this.act(this.sys.vmm.setCryptoAttr(guest, `${enable ? 'ENABLE' : 'DISABLE'}_${kind}_KW`));
  },
);

step(
  'When',
  'the VMM sets crypto attribute {string} of {string}',
  {
    meaning:
      'KVM_SET_DEVICE_ATTR group KVM_S390_VM_CRYPTO by uapi name without the prefix (ENABLE_APIE, DISABLE_AES_KW ...) or by number; an attribute no kernel defines ("99") fails with ENXIO (kvm_s390_vm_set_crypto).',
    example: 'When the VMM sets crypto attribute "99" of "g1"',
  },
  function (this: ApWorld, attr: string, guest: string) {
    this.act(this.sys.vmm.setCryptoAttr(guest, parseCryptoAttr(attr)));
  },
);

step(
  'When',
  'the VMM checks crypto attribute {string} of {string}',
  {
    meaning:
      'KVM_HAS_DEVICE_ATTR group KVM_S390_VM_CRYPTO (kvm_s390_vm_has_attr): succeeds for the key-wrapping attributes, for the APIE ones only with AP instructions on the host; ENXIO otherwise.',
    example: 'When the VMM checks crypto attribute "ENABLE_APIE" of "g1"',
  },
  function (this: ApWorld, attr: string, guest: string) {
    this.act(this.sys.vmm.hasCryptoAttr(guest, parseCryptoAttr(attr)));
  },
);

step(
  'When',
  'the VMM enables the CPU-model feature AP for {string}',
  {
    meaning: 'KVM_S390_VM_CPU_PROCESSOR_FEAT with KVM_S390_VM_CPU_FEAT_AP: EINVAL where KVM does not offer it (4.20), EBUSY once vcpus exist.',
    example: 'When the VMM enables the CPU-model feature AP for "g1"',
  },
  function (this: ApWorld, guest: string) {
    this.act(this.sys.vmm.enableCpuFeatAp(guest));
  },
);

step(
  'When',
  'the VMM opens mediated device {string} for {string}',
  {
    meaning: "KVM-VFIO group add, then VFIO_GROUP_GET_DEVICE_FD: the mdev's open callback and SET_KVM notifier write the masks.",
    example: 'When the VMM opens mediated device "m1" for "g1"',
  },
  function (this: ApWorld, mdev: string, guest: string) {
    this.act(this.sys.vmm.openMdev(mdev, guest));
  },
);

step(
  'When',
  'the VMM closes mediated device {string}',
  {
    meaning: "close() of the mdev's device fd (vfio_ap_mdev_release): masks cleared, queues reset with ZAPQ.",
    example: 'When the VMM closes mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vmm.closeMdev(mdev));
  },
);

step(
  'When',
  'the VMM resets mediated device {string}',
  {
    meaning: 'VFIO_DEVICE_RESET on the open mdev: ZAPQ of every APQN of its matrix (EBUSY if a queue stays busy after one retry).',
    example: 'When the VMM resets mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vmm.resetMdev(mdev));
  },
);

step(
  'When',
  'the VMM asks for the device info of mediated device {string}',
  {
    meaning: 'VFIO_DEVICE_GET_INFO on the open mdev (flags AP|RESET, no regions, no irqs).',
    example: 'When the VMM asks for the device info of mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vmm.getDeviceInfo(mdev));
  },
);

step(
  'Then',
  'the device info reads {string}',
  {
    meaning: 'What the last VFIO_DEVICE_GET_INFO returned, as text.',
    example: 'Then the device info reads "flags AP|RESET, 0 regions, 0 irqs"',
  },
  function (this: ApWorld, expected: string) {
    const last = this.lastAction();
    const value = last.kind === 'outcome' && last.outcome.ok ? last.outcome.value : undefined;
    this.check(
      () => expect(value).to.equal(expected),
      () => `expected "${last.action}" to return the device info "${expected}", but it returned ${value === undefined ? 'no device info' : `"${String(value)}"`}`,
    );
  },
);

/** The guest's CRYCB, or a failure saying it has none. */
function crycbOf(world: ApWorld, guest: string): CrycbMasks {
  const crycb = world.sys.inspect.crycb(guest);
  if (!crycb) throw world.failure(`expected guest "${guest}" to have a CRYCB, but KVM allocated none for it (kvm->arch.crypto.crycbd is 0)`);
  return crycb;
}

step(
  'Then',
  'the CRYCB of {string} has format {int}',
  {
    meaning: 'The format bits of kvm->arch.crypto.crycbd: 0 without MSAX3, 2 with APXA, else 1 (kvm_s390_set_crycb_format).',
    example: 'Then the CRYCB of "g1" has format 2',
  },
  function (this: ApWorld, guest: string, format: number) {
    const crycb = crycbOf(this, guest);
    this.check(
      () => expect(crycb.format).to.equal(format),
      () => `expected the CRYCB of "${guest}" to have format ${format}, but KVM chose format ${crycb.format}`,
    );
  },
);

step(
  'Then',
  'the CRYCB masks of {string} have adapters {ids} and domains {ids}',
  {
    meaning: 'Exactly: APM = these adapters and AQM = these usage domains, as the CRYCB format holds them (APCB0 or APCB1).',
    example: 'Then the CRYCB masks of "g1" have adapters 2 and domains 4 and 5',
  },
  function (this: ApWorld, guest: string, adapters: number[], domains: number[]) {
    const crycb = crycbOf(this, guest);
    this.check(
      () => expect({ apm: [...crycb.apm], aqm: [...crycb.aqm] }).to.deep.equal({ apm: adapters, aqm: domains }),
      () =>
        `expected the CRYCB masks of "${guest}" to have adapters ${formatIds(adapters)} and domains ${formatIds(domains)}, ` +
        `but KVM holds adapters ${formatIds(crycb.apm)} and domains ${formatIds(crycb.aqm)} (format ${crycb.format})`,
    );
  },
);

step(
  'Then',
  'the CRYCB masks of {string} have control domains {ids}',
  {
    meaning: 'Exactly: ADM = these control domains, as the CRYCB format holds them.',
    example: 'Then the CRYCB masks of "g1" have control domains 4 and 0x0b',
  },
  function (this: ApWorld, guest: string, ids: number[]) {
    const crycb = crycbOf(this, guest);
    this.check(
      () => expect([...crycb.adm]).to.deep.equal(ids),
      () => `expected the CRYCB masks of "${guest}" to have control domains ${formatIds(ids)}, but KVM holds ${formatIds(crycb.adm)} (format ${crycb.format})`,
    );
  },
);

step(
  'Then',
  'the CRYCB masks of {string} are empty',
  {
    meaning: 'APM, AQM and ADM are all zero: no mdev wrote them, or release cleared them.',
    example: 'Then the CRYCB masks of "g1" are empty',
  },
  function (this: ApWorld, guest: string) {
    const crycb = crycbOf(this, guest);
    this.check(
      () => expect([...crycb.apm, ...crycb.aqm, ...crycb.adm]).to.deep.equal([]),
      () =>
        `expected the CRYCB masks of "${guest}" to be empty, but KVM holds adapters ${formatIds(crycb.apm)}, ` +
        `domains ${formatIds(crycb.aqm)} and control domains ${formatIds(crycb.adm)} (format ${crycb.format})`,
    );
  },
);

step(
  'Then',
  '{string} has no CRYCB',
  {
    meaning: 'KVM allocated no CRYCB for the guest: kvm->arch.crypto.crycbd is 0.',
    example: 'Then "g1" has no CRYCB',
  },
  function (this: ApWorld, guest: string) {
    const crycb = this.sys.inspect.crycb(guest);
    this.check(
      () => expect(crycb).to.equal(undefined),
      () => `expected "${guest}" to have no CRYCB, but KVM allocated one (format ${crycb?.format})`,
    );
  },
);

step(
  'Then',
  'AP instructions of {string} are interpreted by firmware',
  {
    meaning: 'Every vcpu of the guest has ECA.28 (ECA_APIE): firmware executes PQAP/NQAP/DQAP against the CRYCB.',
    example: 'Then AP instructions of "g1" are interpreted by firmware',
  },
  function (this: ApWorld, guest: string) {
    this.check(
      () => expect(this.sys.inspect.apInterpreted(guest)).to.equal(true),
      () => `expected the AP instructions of "${guest}" to be interpreted by firmware (ECA.28 set on every vcpu), but they are intercepted`,
    );
  },
);

step(
  'Then',
  'AP instructions of {string} are intercepted',
  {
    meaning: 'ECA.28 is off: every AP instruction of the guest is intercepted (and QEMU injects an operation exception).',
    example: 'Then AP instructions of "g1" are intercepted',
  },
  function (this: ApWorld, guest: string) {
    this.check(
      () => expect(this.sys.inspect.apInterpreted(guest)).to.equal(false),
      () => `expected the AP instructions of "${guest}" to be intercepted (ECA.28 clear), but firmware interprets them`,
    );
  },
);

step(
  'Then',
  'guest {string} has facility {int}',
  {
    meaning: "The guest's facility list has this STFLE bit (12 QCI, 15 APFT, 65 AQIC, 76 MSAX3).",
    example: 'Then guest "g1" has facility 76',
  },
  function (this: ApWorld, guest: string, nr: number) {
    this.check(
      () => expect(this.sys.inspect.guestHasFacility(guest, nr)).to.equal(true),
      () => `expected guest "${guest}" to have facility ${nr}, but its facility list lacks it`,
    );
  },
);

step(
  'Then',
  'guest {string} lacks facility {int}',
  {
    meaning: "The guest's facility list does not have this STFLE bit.",
    example: 'Then guest "g1" lacks facility 12',
  },
  function (this: ApWorld, guest: string, nr: number) {
    this.check(
      () => expect(this.sys.inspect.guestHasFacility(guest, nr)).to.equal(false),
      () => `expected guest "${guest}" to lack facility ${nr}, but its facility list has it`,
    );
  },
);
