/**
 * The parts of the vfio core and the mdev core that vfio_ap depends on in 4.20 (drivers/vfio/vfio.c,
 * drivers/vfio/mdev/): one VFIO group per mdev, the group's KVM (set by the KVM-VFIO device), the
 * VFIO_GROUP_NOTIFY_SET_KVM notifier chain, and the device fd.
 *
 * vfio_register_notifier replays SET_KVM once at registration if the group already has a KVM, and
 * the vfio core ignores what the notifier returns (VFIOC): so in 4.20 neither -EPERM nor a failed
 * open-time check ever reaches userspace.
 */
import type { Kernel } from '../kernel';
import type { Vm } from '../kvm/vm';
import type { MatrixMdev } from './private';

export type SetKvmNotifier = (vm: Vm | null) => void;

export interface VfioGroup {
  readonly name: string;
  /** group->kvm. */
  kvm: Vm | null;
  notifier: SetKvmNotifier | null;
  /** A device fd is open (vfio_group_fops_open allows one opener). */
  deviceOpen: boolean;
  /**
   * The group's device: the mdev, which outlives its unlinking from mdev_list while its fd is open
   * (removal of an mdev whose kvm is NULL, E1-E3).
   */
  device?: MatrixMdev;
}

export class VfioCore {
  readonly groups = new Map<string, VfioGroup>();

  constructor(private readonly k: Kernel) {}

  addGroup(name: string, device?: MatrixMdev): VfioGroup {
    const g: VfioGroup = { name, kvm: null, notifier: null, deviceOpen: false, device };
    this.groups.set(name, g);
    return g;
  }

  removeGroup(name: string): void {
    this.groups.delete(name);
  }

  /** vfio_group_set_kvm: remember the KVM and call the SET_KVM notifiers (return values ignored). */
  setKvm(name: string, vm: Vm | null): void {
    const g = this.groups.get(name);
    if (!g) return;
    g.kvm = vm;
    if (this.k.trace.recording)
      this.k.trace.call(
        'vfio',
        'vfio_group_set_kvm',
        `group ${name}: ${vm ? vm.name : 'NULL'}`,
        g.notifier ? 'notify SET_KVM' : g.deviceOpen ? 'no notifier: an open device keeps the KVM it took at open until it is closed' : 'no notifier registered',
      );
    g.notifier?.(vm);
  }

  /** vfio_register_notifier(VFIO_GROUP_NOTIFY_SET_KVM): register and replay the current KVM. */
  registerNotifier(g: VfioGroup, fn: SetKvmNotifier): void {
    g.notifier = fn;
    if (this.k.trace.recording) this.k.trace.call('vfio', 'vfio_register_group_notifier', `group ${g.name}`, g.kvm ? `replay SET_KVM ${g.kvm.name}` : 'no KVM yet');
    if (g.kvm) fn(g.kvm);
  }

  unregisterNotifier(g: VfioGroup): void {
    g.notifier = null;
    if (this.k.trace.recording) this.k.trace.call('vfio', 'vfio_unregister_group_notifier', `group ${g.name}`, '0');
  }
}
