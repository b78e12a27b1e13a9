import type { Model } from '../model';
import type { Real } from '../real';
import { MdevGuestCommand } from './base';

/**
 * `When the VMM removes the VFIO group of "m1" from the KVM of "g1"` (KVM_DEV_VFIO_GROUP_DEL): the
 * VMM keeps the group fd and the device fd. Up to 5.18 vfio_ap hears SET_KVM NULL and sets
 * matrix_mdev->kvm to NULL (4.20 leaves the CRYCB masks; from ~5.11 vfio_ap_mdev_unset_kvm clears
 * them); from 5.19 the open device keeps its KVM until it is closed. QEMU's own vfio-ap device leaves
 * through device_del (Unplug), so only a device the VMM opened itself is taken out this way.
 */
export class RemoveVfioGroup extends MdevGuestCommand {
  constructor(mdev: string, guest: string) {
    super('remove-vfio-group', mdev, guest);
  }
  text(): string {
    return `the VMM removes the VFIO group of "${this.mdev}" from the KVM of "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    const g = m.guests[this.guest];
    return d !== undefined && g !== undefined && d.group === this.guest && !d.groupOut && g.vfioApDevice !== this.mdev;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.vmm.removeVfioGroup(this.mdev, this.guest)).ok) return;
    const d = m.mdevs[this.mdev]!;
    d.groupOut = true;
    if (m.kvmFollowsGroup && d.kvm === this.guest) {
      delete d.kvm;
      delete d.apieAtOpen;
    }
  }
}
