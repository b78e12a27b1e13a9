/**
 * The policy registry: id -> Policy. Reports, profiles and the step catalogue are generated from it,
 * so adding a policy means adding a file and one line here.
 *
 * Kernel releases (`linux-4.20` ... `linux-latest`) choose at every decision point. Every other
 * policy names a `base` and the points it changes; `getPolicy` returns it resolved through its base
 * chain, so the simulator always receives a policy that chooses everywhere.
 */
import { DECISION_POINT_IDS, type Choice, type DecisionPoint, type Policy } from '../sim/decisions';
import v10 from './v10';
import v10Apie from './v10-apie';
import apInstructions from './ap-instructions';
import v11 from './v11';
import unchecked from './unchecked';
import linux420 from './linux-4.20';
import linux53 from './linux-5.3';
import linux513 from './linux-5.13';
import linux519 from './linux-5.19';
import linux60 from './linux-6.0';
import linuxLatest from './linux-latest';

export const POLICIES = {
  v10,
  'v10-apie': v10Apie,
  'ap-instructions': apInstructions,
  v11,
  unchecked,
  'linux-4.20': linux420,
  'linux-5.3': linux53,
  'linux-5.13': linux513,
  'linux-5.19': linux519,
  'linux-6.0': linux60,
  'linux-latest': linuxLatest,
} satisfies Record<string, Policy>;

export type PolicyId = keyof typeof POLICIES;

/** The registry as plain policies (for code that reads any policy's fields, such as `base`). */
const REGISTRY: Readonly<Record<string, Policy>> = POLICIES;

/** Report column order: the thread's candidates in its chronology and the control, then the releases. */
export const POLICY_IDS = Object.keys(POLICIES) as PolicyId[];

/** The kernel releases, oldest first (the history table's columns). */
export const KERNEL_POLICY_IDS = POLICY_IDS.filter((id) => REGISTRY[id]!.base === undefined);

export const DEFAULT_POLICY_ID: PolicyId = 'v11';

export function isPolicyId(id: string): id is PolicyId {
  return Object.prototype.hasOwnProperty.call(POLICIES, id);
}

/** Look a policy up, resolved through its base; an unknown id is an error that lists the known ones. */
export function getPolicy(id: string): Policy {
  if (!isPolicyId(id))
    throw new Error(`unknown policy "${id}". Known policies: ${POLICY_IDS.join(', ')}. Add one in src/policies/ and register it in src/policies/index.ts.`);
  let resolved = RESOLVED.get(id);
  if (!resolved) {
    resolved = resolvePolicy(REGISTRY[id]!, (b) => (isPolicyId(b) ? REGISTRY[b] : undefined));
    RESOLVED.set(id, resolved);
  }
  return resolved;
}

const RESOLVED = new Map<string, Policy>();

/** The policy a policy is based on (resolved), or undefined for a kernel release. */
export function basePolicyOf(id: string): Policy | undefined {
  const base = getPolicy(id).base;
  return base === undefined ? undefined : getPolicy(base);
}

/** The points where a policy's own choices differ from what its base chooses (empty for a release). */
export function policyChanges(id: string): DecisionPoint[] {
  const own: Policy['choices'] = REGISTRY[id]?.choices ?? {};
  const base = basePolicyOf(id);
  if (!base) return [];
  return (Object.keys(own) as DecisionPoint[]).filter((p) => own[p] !== base.choices[p]);
}

/**
 * A policy with the choices of its base chain filled in: a kernel must name every point; a policy
 * with a base inherits what it does not name. A missing base, a cycle, or a kernel that misses a point
 * is an error naming the policy and what to write.
 */
export function resolvePolicy(policy: Policy, lookup: (id: string) => Policy | undefined): Policy {
  const chain: Policy[] = [];
  for (let p: Policy | undefined = policy; p; ) {
    if (chain.some((c) => c.id === p!.id))
      throw new Error(`policy "${policy.id}": its base chain loops (${[...chain, p].map((c) => c.id).join(' -> ')}). A base must lead to a kernel release such as linux-4.20.`);
    chain.push(p);
    if (p.base === undefined) break;
    const next = lookup(p.base);
    if (!next)
      throw new Error(`policy "${p.id}": its base "${p.base}" is not a registered policy. Known: ${POLICY_IDS.join(', ')}.`);
    p = next;
  }
  const kernel = chain[chain.length - 1]!;
  const missing = DECISION_POINT_IDS.filter((point) => kernel.choices[point] === undefined);
  if (missing.length)
    throw new Error(
      `policy "${kernel.id}" is a kernel release (it has no base) but chooses nothing at ${missing.join(', ')}. ` +
        `A kernel chooses at every decision point; a patch names a base, e.g. base: 'linux-6.0'.`,
    );
  const choices: { [P in DecisionPoint]?: Choice<P> } = {};
  for (const p of [...chain].reverse()) Object.assign(choices, p.choices);
  return { ...policy, choices };
}
