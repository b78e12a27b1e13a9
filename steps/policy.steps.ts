/**
 * Policies: pinning a scenario to one policy (spec/steps.md, "Policies").
 */
import { getPolicy } from '../src/policies';
import { step } from './support/define';
import { stepError } from './support/errors';
import type { ApWorld } from './support/world';

step(
  'Given',
  'the policy {string}',
  {
    meaning: 'Pin the scenario to one policy (v10, v10-apie, ap-instructions, v11, unchecked); under the others it is skipped.',
    example: 'Given the policy "v10"',
  },
  function (this: ApWorld, id: string) {
    try {
      getPolicy(id);
    } catch (err) {
      throw stepError(`Given the policy "${id}": ${(err as Error).message}`);
    }
    return id === this.policy.id ? undefined : 'skipped';
  },
);
