import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand, nameAvailable } from './base';

/** `When the administrator creates mediated device "m1"`. */
export class CreateMdev extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly mdev: string,
    readonly index: number,
  ) {
    super();
    this.id = `create-mdev:${mdev}`;
  }
  text(): string {
    return `the administrator creates mediated device "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.vfioLoaded && !m.mdevs[this.mdev] && nameAvailable(this.index, m.mdevsUsed);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.vfioAp.createMdev(this.mdev)).ok) return;
    m.mdevs[this.mdev] = { apm: [], aqm: [], adm: [] };
    m.mdevsUsed = Math.max(m.mdevsUsed, this.index + 1);
  }
}
