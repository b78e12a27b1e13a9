import { openedMdev, type Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand, nameAvailable } from './base';

/** `When guest "g1" is started with mediated device "m1"`: QEMU -cpu host -device vfio-ap. */
export class StartGuestWithMdev extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly guest: string,
    readonly index: number,
    readonly mdev: string,
  ) {
    super();
    this.id = `start-guest-with-mdev:${guest}:${mdev}`;
  }
  text(): string {
    return `guest "${this.guest}" is started with mediated device "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // A VFIO group another VMM holds cannot be opened (vfio_group_fops_open is exclusive in 4.20).
    return !m.guests[this.guest] && nameAvailable(this.index, m.guestsUsed) && d !== undefined && d.group === undefined;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.qemu.start(this.guest, { mdev: this.mdev })).ok) return;
    m.guests[this.guest] = { kind: 'qemu', apie: m.apInstructions, cpuFeatAp: false, cpuFeatTried: false, vfioApDevice: this.mdev };
    m.guestsUsed = Math.max(m.guestsUsed, this.index + 1);
    openedMdev(m, this.mdev, this.guest);
  }
}
