import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand, nameAvailable } from './base';

/** `Given a guest "g1" started by a minimal VMM`: a VM and one vcpu, no CPU model, APIE off. */
export class StartMinimalGuest extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id: string;
  constructor(
    readonly guest: string,
    readonly index: number,
  ) {
    super();
    this.id = `start-minimal-guest:${guest}`;
  }
  text(): string {
    return `a guest "${this.guest}" started by a minimal VMM`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return !m.guests[this.guest] && nameAvailable(this.index, m.guestsUsed);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.given(r, r.sys.vmm.create(this.guest)).ok) return;
    m.guests[this.guest] = { kind: 'minimal', apie: false, cpuFeatAp: false, cpuFeatTried: false };
    m.guestsUsed = Math.max(m.guestsUsed, this.index + 1);
  }
}
