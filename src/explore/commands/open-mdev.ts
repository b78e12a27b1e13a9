import { openedMdev, type Model } from '../model';
import type { Real } from '../real';
import { MdevGuestCommand } from './base';

/** `When the VMM opens mediated device "m1" for "g1"`: group to the KVM, then the device fd. */
export class OpenMdev extends MdevGuestCommand {
  constructor(mdev: string, guest: string) {
    super('open-mdev', mdev, guest);
  }
  text(): string {
    return `the VMM opens mediated device "${this.mdev}" for "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // The VFIO group fd is exclusive in 4.20: only the VMM that holds the group can open the device.
    return m.guests[this.guest] !== undefined && d !== undefined && d.openBy === undefined && (d.group === undefined || d.group === this.guest);
  }
  protected apply(m: Model, r: Real): void {
    if (this.act(r, r.sys.vmm.openMdev(this.mdev, this.guest)).ok) openedMdev(m, this.mdev, this.guest);
    // The VMM added the group to its KVM before asking for the device fd, and keeps the group fd when
    // open fails (5.19+: EPERM for a second mdev on one KVM, EINVAL without a KVM): the group stays its.
    else if (!r.sys.oops) m.mdevs[this.mdev]!.group = this.guest;
  }
}
