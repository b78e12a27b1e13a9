/**
 * The policy registry: id -> Policy. Reports, profiles and the step catalogue are generated from it,
 * so adding a policy means adding a file and one line here.
 */
import type { Policy } from '../sim/decisions';
import v10 from './v10';
import v10Apie from './v10-apie';
import apInstructions from './ap-instructions';
import v11 from './v11';
import unchecked from './unchecked';

export const POLICIES = {
  v10,
  'v10-apie': v10Apie,
  'ap-instructions': apInstructions,
  v11,
  unchecked,
} satisfies Record<string, Policy>;

export type PolicyId = keyof typeof POLICIES;

/** Report column order: the thread's chronology, then the control. */
export const POLICY_IDS = Object.keys(POLICIES) as PolicyId[];

export const DEFAULT_POLICY_ID: PolicyId = 'v11';

export function isPolicyId(id: string): id is PolicyId {
  return Object.prototype.hasOwnProperty.call(POLICIES, id);
}

/** Look a policy up; an unknown id is an error that lists the known ones. */
export function getPolicy(id: string): Policy {
  if (!isPolicyId(id))
    throw new Error(`unknown policy "${id}". Known policies: ${POLICY_IDS.join(', ')}. Add one in src/policies/ and register it in src/policies/index.ts.`);
  return POLICIES[id];
}
