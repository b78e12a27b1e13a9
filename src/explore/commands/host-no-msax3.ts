import { FAC_MSAX3 } from '../../sim/api';
import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';
import { chooseHost, hostChoiceEnabled } from './host-choice';

/** `Given the host has no MSAX3 facility`: guests get a format-0 CRYCB (or none on a pre-4.20 KVM). */
export class HostNoMsax3 extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id = 'host-no-msax3';
  override readonly hostChoice = true;
  text(): string {
    return 'the host has no MSAX3 facility';
  }
  protected enabled(m: Readonly<Model>): boolean {
    return hostChoiceEnabled(m, 1);
  }
  protected apply(m: Model, r: Real): void {
    r.sys.host.setFacility(FAC_MSAX3, false);
    m.msax3 = false;
    chooseHost(m, 1);
  }
}
