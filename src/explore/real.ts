/**
 * The "real" side of a model-based run: the simulated System under one policy, the last action
 * (for the `Then it fails with ...` steps and transition properties) and whether a `Given` step was
 * refused (a refused precondition makes the whole sequence invalid, as it fails a scenario).
 */
import type { Policy, Outcome, System, InstructionResult } from '../sim/api';
import type { World } from './world';

export type LastAction =
  | { readonly kind: 'outcome'; readonly op: string; readonly outcome: Outcome<unknown> }
  | { readonly kind: 'instruction'; readonly op: string; readonly result: InstructionResult };

export interface Real {
  sys: System;
  readonly policy: Policy;
  readonly world: World;
  /** Whether Systems record traces (false on the search's hot path). */
  readonly trace: boolean;
  last: LastAction | undefined;
  /**
   * A Given step was refused, or cannot exist under the policy (not applicable, kernels.md): either
   * way the sequence is not a valid scenario under this policy and the search drops it.
   */
  refusedGiven: boolean;
  /** Why a Given cannot exist under the policy (the steps report the scenario "n.a." with it). */
  notApplicable?: string;
}
