import { releaseMdev, type Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When the VMM closes mediated device "m1"`: release (masks cleared); the group stays with the VMM. */
export class CloseMdev extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(readonly mdev: string) {
    super();
    this.id = `close-mdev:${mdev}`;
  }
  text(): string {
    return `the VMM closes mediated device "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // QEMU's own vfio-ap device is closed by unplug, not by a raw close.
    if (!d?.openBy) return false;
    return m.guests[d.openBy]?.vfioApDevice !== this.mdev;
  }
  protected apply(m: Model, r: Real): void {
    if (this.act(r, r.sys.vmm.closeMdev(this.mdev)).ok) releaseMdev(m, this.mdev);
  }
}
