import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';
import { chooseHost, hostChoiceEnabled } from './host-choice';

/**
 * `Given the host's KVM allocates a CRYCB only for guests with MSAX3`: the pre-4.20 KVM. Kernels
 * from 5.3 on cannot have it (their vfio_ap needs kvm->arch.crypto.pqap_hook): there the sequence
 * is not applicable and the search drops it.
 */
export class HostKvmCrycbOnlyWithMsax3 extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id = 'host-kvm-crycb-only-with-msax3';
  override readonly hostChoice = true;
  text(): string {
    return "the host's KVM allocates a CRYCB only for guests with MSAX3";
  }
  protected enabled(m: Readonly<Model>): boolean {
    return hostChoiceEnabled(m, 3);
  }
  protected apply(m: Model, r: Real): void {
    if (!this.applicable(r, r.sys.host.setKvmCrycbOnlyWithMsax3())) return;
    m.crycbOnlyWithMsax3 = true;
    chooseHost(m, 3);
  }
}
