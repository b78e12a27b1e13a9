/**
 * The vfio_ap driver module: load and unload (vfio_ap_init / vfio_ap_exit; spec/steps.md, "The
 * vfio_ap driver").
 */
import { expect } from 'chai';
import { step, stepPerKeyword } from './support/define';
import { explainOutcome, describeRefusal, type ApWorld } from './support/world';
import type { Errno } from '../src/sim/api';

stepPerKeyword(
  'the vfio_ap module is loaded',
  {
    Given: {
      meaning: 'modprobe vfio_ap succeeded (vfio_ap_init); a refusal fails the scenario as a precondition.',
      example: 'Given the vfio_ap module is loaded',
    },
    When: {
      meaning: 'modprobe vfio_ap (vfio_ap_init): AP-instructions check (policy), matrix device, AP driver, mdev parent.',
      example: 'When the vfio_ap module is loaded',
    },
    Then: {
      meaning: 'The vfio_ap module is loaded now.',
      example: 'Then the vfio_ap module is loaded',
    },
  },
  function (this: ApWorld) {
    const vfioAp = this.sys.vfioAp;
    if (this.currentStepType === 'Outcome') {
      this.check(
        () => expect(vfioAp.loaded).to.equal(true),
        () => 'expected the vfio_ap module to be loaded, but it is not (see the trace for vfio_ap_init or vfio_ap_exit)',
      );
      return;
    }
    this.act(vfioAp.load());
  },
);

step(
  'Then',
  'loading the vfio_ap module fails with {errno}',
  {
    meaning: 'modprobe vfio_ap now (vfio_ap_init) returns this errno.',
    example: 'Then loading the vfio_ap module fails with ENODEV',
  },
  function (this: ApWorld, errno: Errno) {
    const outcome = this.sys.vfioAp.load();
    this.act(outcome);
    this.check(
      () => expect(outcome.ok ? undefined : outcome.errno).to.equal(errno),
      () => `expected loading the vfio_ap module to fail with ${errno}, but ${explainOutcome(outcome)}`,
    );
  },
);

step(
  'When',
  'the administrator unloads the vfio_ap module',
  {
    meaning: 'rmmod vfio_ap (vfio_ap_exit); refused while a mediated device is open (the module reference taken by open).',
    example: 'When the administrator unloads the vfio_ap module',
  },
  function (this: ApWorld) {
    this.act(this.sys.vfioAp.unload());
  },
);

step(
  'Then',
  'the vfio_ap module is not loaded',
  {
    meaning: 'The vfio_ap module is not loaded now.',
    example: 'Then the vfio_ap module is not loaded',
  },
  function (this: ApWorld) {
    const last = this.last;
    this.check(
      () => expect(this.sys.vfioAp.loaded).to.equal(false),
      () =>
        `expected the vfio_ap module not to be loaded, but it is${last?.kind === 'outcome' && !last.outcome.ok ? ` (the last action failed: ${describeRefusal(last.outcome)})` : ''}`,
    );
  },
);

step(
  'When',
  'the VMM opens mediated device {string} without a KVM',
  {
    meaning:
      "The scenario's VMM asks for the device fd (VFIO_GROUP_GET_DEVICE_FD) while the mdev's VFIO group was never added to a KVM-VFIO device: " +
      'up to 5.18 open returns 0 and the mdev has no KVM; from 5.19 open_device finds vdev->kvm NULL and returns EINVAL.',
    example: 'When the VMM opens mediated device "m1" without a KVM',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vmm.openMdevWithoutKvm(mdev));
  },
);

step(
  'When',
  'the VMM removes the VFIO group of {string} from the KVM of {string}',
  {
    meaning:
      "KVM_DEV_VFIO_GROUP_DEL on the guest's KVM-VFIO device (ENOENT if never added): up to 5.18 vfio_ap gets SET_KVM NULL (masks stay until ~5.11, " +
      'then unset_kvm clears them); from 5.19 an open device keeps its KVM until it is closed.',
    example: 'When the VMM removes the VFIO group of "m1" from the KVM of "g1"',
  },
  function (this: ApWorld, mdev: string, guest: string) {
    this.act(this.sys.vmm.removeVfioGroup(mdev, guest));
  },
);

step(
  'When',
  'the VMM issues an unknown ioctl on mediated device {string}',
  {
    meaning: 'An ioctl other than VFIO_DEVICE_GET_INFO / VFIO_DEVICE_RESET on the open device fd: vfio_ap_mdev_ioctl returns EOPNOTSUPP (EBADF if no VMM holds it open).',
    example: 'When the VMM issues an unknown ioctl on mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vmm.unknownIoctl(mdev));
  },
);
