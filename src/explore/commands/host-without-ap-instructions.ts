import type { Model } from '../model';
import type { Real } from '../real';
import { HOST_WITHOUT_AP_LINE, worldSystem } from '../world';
import { ExploreCommand } from './base';

/** `Given an s390 host without AP instructions`: the first step; it replaces the world's host line. */
export class HostWithoutApInstructions extends ExploreCommand {
  readonly keyword = 'Given';
  readonly id = 'host-without-ap-instructions';
  override readonly hostChoice = true;
  text(): string {
    return HOST_WITHOUT_AP_LINE.replace(/^Given /, '');
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.steps === 0;
  }
  protected apply(m: Model, r: Real): void {
    r.sys = worldSystem(r.policy, r.world, { apInstructions: false, trace: r.trace });
    m.apInstructions = false;
    m.hostChoices |= 1;
  }
}
