import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';
import { FIELD, type MatrixKind } from './assign';

const ATTR = { adapter: 'unassign_adapter', domain: 'unassign_domain', 'control domain': 'unassign_control_domain' } as const;

/** `When the administrator unassigns adapter/domain/control domain N from "m1"` (while a guest runs: 6.0 hot unplug). */
export class Unassign extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly kind: MatrixKind,
    readonly n: number,
    readonly mdev: string,
  ) {
    super();
    this.id = `unassign:${kind}:${n}:${mdev}`;
  }
  text(): string {
    return `the administrator unassigns ${this.kind} ${this.n} from "${this.mdev}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const d = m.mdevs[this.mdev];
    // While a KVM is attached only a kernel that hot-unplugs by unassign (6.0) changes anything.
    return d !== undefined && (d.kvm === undefined || m.hotPlug) && d[FIELD[this.kind]].includes(this.n);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.vfioAp.store(this.mdev, ATTR[this.kind], String(this.n))).ok) return;
    const d = m.mdevs[this.mdev]!;
    const list = d[FIELD[this.kind]];
    list.splice(list.indexOf(this.n), 1);
  }
}
