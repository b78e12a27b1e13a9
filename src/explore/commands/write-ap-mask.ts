import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/**
 * `When the administrator writes "+2" to the AP bus apmask` (give adapter 2 back to the default
 * driver) or `"-2"` (reserve it for pass-through). 4.20 accepts both even while a guest uses it.
 */
export class WriteApMask extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly adapter: number,
    readonly giveBack: boolean,
  ) {
    super();
    this.id = `apmask:${giveBack ? '+' : '-'}${adapter}`;
  }
  text(): string {
    return `the administrator writes "${this.giveBack ? '+' : '-'}${this.adapter}" to the AP bus apmask`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.reserved.includes(this.adapter) === this.giveBack;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.apBus.storeMask('apmask', `${this.giveBack ? '+' : '-'}${this.adapter}`)).ok) return;
    if (this.giveBack) m.reserved.splice(m.reserved.indexOf(this.adapter), 1);
    else m.reserved.push(this.adapter);
    m.reserved.sort((a, b) => a - b);
  }
}
