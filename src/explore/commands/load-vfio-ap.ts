import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When the vfio_ap module is loaded` (vfio_ap_init). */
export class LoadVfioAp extends ExploreCommand {
  readonly keyword = 'When';
  readonly id = 'load-vfio-ap';
  text(): string {
    return 'the vfio_ap module is loaded';
  }
  protected enabled(m: Readonly<Model>): boolean {
    return !m.vfioLoaded;
  }
  protected apply(m: Model, r: Real): void {
    m.vfioLoaded = this.act(r, r.sys.vfioAp.load()).ok;
  }
}
