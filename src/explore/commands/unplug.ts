import { releaseMdev, type Model } from '../model';
import type { Real } from '../real';
import { MdevGuestCommand } from './base';

/** `When mediated device "m1" is unplugged from guest "g1"`: release, then the group leaves the KVM. */
export class Unplug extends MdevGuestCommand {
  constructor(mdev: string, guest: string) {
    super('unplug', mdev, guest);
  }
  text(): string {
    return `mediated device "${this.mdev}" is unplugged from guest "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.guests[this.guest]?.vfioApDevice === this.mdev;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.qemu.deviceDel(this.guest, this.mdev)).ok) return;
    delete m.guests[this.guest]!.vfioApDevice;
    releaseMdev(m, this.mdev);
    const d = m.mdevs[this.mdev];
    if (d) {
      delete d.group;
      delete d.groupOut;
    }
  }
}
