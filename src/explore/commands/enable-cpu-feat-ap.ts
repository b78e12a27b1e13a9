import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When the VMM enables the CPU-model feature AP for "g1"` (v10's KVM_S390_VM_CPU_FEAT_AP). */
export class EnableCpuFeatAp extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(readonly guest: string) {
    super();
    this.id = `enable-cpu-feat-ap:${guest}`;
  }
  text(): string {
    return `the VMM enables the CPU-model feature AP for "${this.guest}"`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    const g = m.guests[this.guest];
    return g !== undefined && !g.cpuFeatTried;
  }
  protected apply(m: Model, r: Real): void {
    const g = m.guests[this.guest]!;
    g.cpuFeatTried = true;
    if (this.act(r, r.sys.vmm.enableCpuFeatAp(this.guest)).ok) g.cpuFeatAp = true;
  }
}
