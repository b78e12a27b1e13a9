import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

export type MatrixKind = 'adapter' | 'domain' | 'control domain';
/** The model field each kind of id is kept in (the mdev's apm, aqm, adm). */
export const FIELD = { adapter: 'apm', domain: 'aqm', 'control domain': 'adm' } as const;
const ATTR = { adapter: 'assign_adapter', domain: 'assign_domain', 'control domain': 'assign_control_domain' } as const;

/** `When the administrator assigns adapter/domain/control domain N to "m1"` (while a guest runs: 6.0 hot plug). */
export class Assign extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly kind: MatrixKind,
    readonly n: number,
    readonly mdev: string,
  ) {
    super();
    this.id = `assign:${kind}:${n}:${mdev}`;
  }
  text(): string {
    return `the administrator assigns ${this.kind} ${this.n} to "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // With a KVM attached every store is EBUSY and changes nothing, unless the kernel hot-plugs by
    // assign (6.0: the shadow APCB goes to the running guest). Assigning an id already set is a
    // no-op (6.0) or re-runs the checks that passed (4.20): skipped either way.
    return d !== undefined && (d.kvm === undefined || m.hotPlug) && !d[FIELD[this.kind]].includes(this.n);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.vfioAp.store(this.mdev, ATTR[this.kind], String(this.n))).ok) return;
    const list = m.mdevs[this.mdev]![FIELD[this.kind]];
    list.push(this.n);
    list.sort((a, b) => a - b);
  }
}
