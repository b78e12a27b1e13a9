import type { MaskKind } from '../../sim/api';
import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/**
 * `When the administrator writes "+2" to the AP bus apmask` (give adapter 2 back to the default
 * drivers) or `"-2"` (reserve it for pass-through); the same for a domain and aqmask. A queue is the
 * default drivers' iff its adapter is in apmask and its domain in aqmask. 4.20-5.19 accept a give-back
 * even for ids a guest uses (the documented limitation); 6.0 refuses it with EBUSY for ids assigned to
 * any mdev (apmask_commit asks vfio_ap_mdev_resource_in_use). The model follows the outcome.
 */
export class WriteApMask extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  /**
   * `configured`: for an aqmask edit, the world's adapters. A queue is the default drivers' only if
   * its adapter is in apmask too, so while every configured adapter is reserved an aqmask edit
   * changes no binding and no answer (6.0's in_use asks about apmask x the new aqmask ids, which
   * holds no assignable APQN then): it is skipped, sparing the search states that differ only in
   * the mask's value.
   */
  constructor(
    readonly n: number,
    readonly giveBack: boolean,
    readonly mask: MaskKind = 'apmask',
    readonly configured: readonly number[] = [],
  ) {
    super();
    this.id = `${mask}:${giveBack ? '+' : '-'}${n}`;
  }
  text(): string {
    return `the administrator writes "${this.giveBack ? '+' : '-'}${this.n}" to the AP bus ${this.mask}`;
  }
  private list(m: Readonly<Model>): readonly number[] {
    return this.mask === 'apmask' ? m.reserved : m.reservedDomains;
  }
  protected enabled(m: Readonly<Model>): boolean {
    if (this.mask === 'aqmask' && this.configured.every((a) => m.reserved.includes(a))) return false;
    return this.list(m).includes(this.n) === this.giveBack;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.apBus.storeMask(this.mask, `${this.giveBack ? '+' : '-'}${this.n}`)).ok) return;
    const list = this.mask === 'apmask' ? m.reserved : m.reservedDomains;
    if (this.giveBack) list.splice(list.indexOf(this.n), 1);
    else list.push(this.n);
    list.sort((a, b) => a - b);
  }
}
