import { openedMdev, type Model } from '../model';
import type { Real } from '../real';
import { MdevGuestCommand } from './base';

/** `When mediated device "m1" is hot-plugged into guest "g1"` (QEMU device_add vfio-ap). */
export class HotPlug extends MdevGuestCommand {
  constructor(mdev: string, guest: string) {
    super('hot-plug', mdev, guest);
  }
  text(): string {
    return `mediated device "${this.mdev}" is hot-plugged into guest "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const g = m.guests[this.guest];
    const d = m.mdevs[this.mdev];
    return g?.kind === 'qemu' && d !== undefined && (d.group === undefined || (d.group === this.guest && d.openBy === undefined));
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.qemu.deviceAdd(this.guest, this.mdev)).ok) return;
    m.guests[this.guest]!.vfioApDevice = this.mdev;
    openedMdev(m, this.mdev, this.guest);
  }
}
