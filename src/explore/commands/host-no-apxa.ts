import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';
import { chooseHost, hostChoiceEnabled } from './host-choice';

/** `Given the host has no AP extended addressing`: ids up to 63/15, format-1 CRYCBs. */
export class HostNoApxa extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id = 'host-no-apxa';
  override readonly hostChoice = true;
  text(): string {
    return 'the host has no AP extended addressing';
  }
  protected enabled(m: Readonly<Model>): boolean {
    return hostChoiceEnabled(m, 2);
  }
  protected apply(m: Model, r: Real): void {
    r.sys.host.setApxa(false);
    m.apxa = false;
    chooseHost(m, 2);
  }
}
