import type { Model } from '../model';
import type { Real } from '../real';
import { formatIdList } from '../world';
import { ExploreCommand } from './base';

/** `Given mediated device "m1" has adapters A and domains D`: each adapter, then each domain, assigned. */
export class MdevHasMatrix extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id: string;
  constructor(
    readonly mdev: string,
    readonly adapters: readonly number[],
    readonly domains: readonly number[],
  ) {
    super();
    this.id = `mdev-has-matrix:${mdev}:${adapters.join('+')}:${domains.join('+')}`;
  }
  text(): string {
    return `mediated device "${this.mdev}" has adapters ${formatIdList(this.adapters)} and domains ${formatIdList(this.domains)}`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    return d !== undefined && d.kvm === undefined && d.apm.length === 0 && d.aqm.length === 0;
  }
  protected apply(m: Model, r: Real): void {
    const d = m.mdevs[this.mdev]!;
    for (const a of this.adapters) {
      if (!this.given(r, r.sys.vfioAp.store(this.mdev, 'assign_adapter', String(a))).ok) return;
      d.apm.push(a);
    }
    for (const q of this.domains) {
      if (!this.given(r, r.sys.vfioAp.store(this.mdev, 'assign_domain', String(q))).ok) return;
      d.aqm.push(q);
    }
    d.apm.sort((x, y) => x - y);
    d.aqm.sort((x, y) => x - y);
  }
}
