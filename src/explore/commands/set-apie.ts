import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When the VMM enables/disables APIE for "g1"` (KVM_S390_VM_CRYPTO_ENABLE_APIE / DISABLE_APIE). */
export class SetApie extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly guest: string,
    readonly on: boolean,
  ) {
    super();
    this.id = `${on ? 'enable' : 'disable'}-apie:${guest}`;
  }
  text(): string {
    return `the VMM ${this.on ? 'enables' : 'disables'} APIE for "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const g = m.guests[this.guest];
    // Without AP instructions both attributes are EOPNOTSUPP and change nothing.
    return g !== undefined && m.apInstructions && g.apie !== this.on;
  }
  protected apply(m: Model, r: Real): void {
    if (this.act(r, r.sys.vmm.setCryptoAttr(this.guest, this.on ? 'ENABLE_APIE' : 'DISABLE_APIE')).ok) m.guests[this.guest]!.apie = this.on;
  }
}
