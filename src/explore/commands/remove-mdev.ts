import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When the administrator removes mediated device "m1"` (EBUSY while a KVM is attached). */
export class RemoveMdev extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(readonly mdev: string) {
    super();
    this.id = `remove-mdev:${mdev}`;
  }
  text(): string {
    return `the administrator removes mediated device "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // Removing an mdev whose VFIO group a VMM still holds is left out: the simulator names groups by
    // mdev, so a re-created mdev would inherit the old group (not what the kernel does).
    return d !== undefined && d.kvm === undefined && d.group === undefined;
  }
  protected apply(m: Model, r: Real): void {
    if (this.act(r, r.sys.vfioAp.removeMdev(this.mdev)).ok) delete m.mdevs[this.mdev];
  }
}
