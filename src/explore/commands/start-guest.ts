import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand, nameAvailable } from './base';

/**
 * `Given a guest "g1"` (QEMU -cpu host: APIE on when the host has AP instructions) or
 * `Given a guest "g1" with CPU model "host,ap=off"` (no APIE) / `"host,msa3=off"`.
 */
export class StartGuest extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id: string;
  constructor(
    readonly guest: string,
    readonly index: number,
    readonly cpuModel?: string,
  ) {
    super();
    this.id = `start-guest:${guest}${cpuModel ? `:${cpuModel}` : ''}`;
  }
  text(): string {
    return this.cpuModel ? `a guest "${this.guest}" with CPU model "${this.cpuModel}"` : `a guest "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return !m.guests[this.guest] && nameAvailable(this.index, m.guestsUsed);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.given(r, r.sys.qemu.start(this.guest, this.cpuModel ? { cpuModel: this.cpuModel } : {})).ok) return;
    const ap = m.apInstructions && !(this.cpuModel ?? '').split(',').includes('ap=off');
    m.guests[this.guest] = { kind: 'qemu', ...(this.cpuModel ? { cpuModel: this.cpuModel } : {}), apie: ap, cpuFeatAp: false, cpuFeatTried: false };
    m.guestsUsed = Math.max(m.guestsUsed, this.index + 1);
  }
}
