/**
 * The policy registry: id -> Policy. Reports, profiles and the step catalogue are generated from it,
 * so adding a policy means adding a file and one line here.
 *
 * Kernel releases (`linux-4.20` ... `linux-latest`) choose at every decision point. Every other
 * policy names a `base` and the points it changes; `getPolicy` returns it resolved through its base
 * chain, so the simulator always receives a policy that chooses everywhere.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DECISION_POINT_IDS, type Choice, type DecisionPoint, type Policy } from '../sim/decisions';

/**
 * The registry: one `[id, file]` per policy, in report column order (the thread's candidates in its
 * chronology and the control, then the releases). A list, not an object literal, so a second entry
 * with the same id is seen at load instead of silently replacing the first.
 *
 * Each file is loaded on its own (loadPolicyFile): one that does not compile or throws when loaded,
 * or whose `id` is not its registry id, is recorded as broken with the file and the first line of the
 * error. Runs that select it fail with that paragraph; runs of the other policies do not notice it.
 */
const REGISTRY_FILES = [
  ['v10', './v10'],
  ['v10-apie', './v10-apie'],
  ['ap-instructions', './ap-instructions'],
  ['v11', './v11'],
  ['unchecked', './unchecked'],
  ['linux-4.20', './linux-4.20'],
  ['linux-5.3', './linux-5.3'],
  ['linux-5.13', './linux-5.13'],
  ['linux-5.19', './linux-5.19'],
  ['linux-6.0', './linux-6.0'],
  ['linux-latest', './linux-latest'],
] as const;

export type PolicyId = (typeof REGISTRY_FILES)[number][0];

/** A registered policy that cannot be used: its file does not load, or its id or base is wrong. */
export class PolicyLoadError extends Error {
  override name = 'PolicyLoadError';
}

/** What loading a registry gives: the policies that loaded, and a paragraph per id that did not. */
export interface LoadedRegistry {
  readonly ids: string[];
  readonly policies: Record<string, Policy>;
  readonly broken: Map<string, string>;
}

/**
 * Load each `[id, file]` (relative to `dir`) on its own. Exported so the hostile-input tests can load a
 * registry of broken files in a temp folder exactly as the real one is loaded.
 */
export function loadPolicyRegistry(entries: readonly (readonly [string, string])[], dir: string): LoadedRegistry {
  const out: LoadedRegistry = { ids: [], policies: {}, broken: new Map() };
  for (const [id, file] of entries) {
    if (out.ids.includes(id)) {
      out.broken.set(
        id,
        `${out.broken.has(id) ? `${out.broken.get(id)} Also: ` : ''}src/policies/index.ts registers the id "${id}" twice (the second time for ${file}.ts): each policy needs its own id, and the id names its column and its expected verdicts. Give the copy a new id in its file and in the registry.`,
      );
      continue;
    }
    out.ids.push(id);
    const loaded = loadPolicyFile(id, file, dir);
    if (typeof loaded === 'string') out.broken.set(id, loaded);
    else out.policies[id] = loaded;
  }
  return out;
}

const LOADED = loadPolicyRegistry(REGISTRY_FILES, __dirname);

/** The registered policies that loaded, by id, as written (not resolved through their base). */
export const POLICIES = LOADED.policies as Record<PolicyId, Policy>;
/** Registered ids whose file did not load or check: id -> the paragraph naming the file and the error. */
const BROKEN = LOADED.broken;

/** Report column order. Holds the broken ids too: selecting one is an error, not an unknown id. */
export const POLICY_IDS = LOADED.ids as PolicyId[];

/** Every broken registry entry's paragraph (for a test or a report that lists them all). */
export function policyLoadProblems(): string[] {
  return [...BROKEN.values()];
}

/** A policy file's default export, or the paragraph saying why it cannot be used. */
function loadPolicyFile(id: string, file: string, dir: string): Policy | string {
  const shown = dir === __dirname ? `src/policies/${file.replace(/^\.\//, '')}.ts` : join(dir, `${file}.ts`);
  let mod: { default?: unknown };
  try {
    mod = requireTs(join(dir, file));
  } catch (err) {
    return `${shown} (policy "${id}") does not load: ${firstLineOf(err, shown)}. Fix the file; only runs that select "${id}" fail until then.`;
  }
  const p = mod.default as Partial<Policy> | undefined;
  if (typeof p !== 'object' || p === null)
    return `${shown} (policy "${id}") has no default export: write  export default { id: '${id}', ... } satisfies Policy.`;
  if (p.id !== id)
    return `${shown} is registered as "${id}" but its id is ${JSON.stringify(p.id)}: a copied policy keeps the id of its original, and would take over that policy's column and verdicts. Make the two the same, and unique.`;
  if (typeof p.choices !== 'object' || p.choices === null)
    return `${shown} (policy "${id}") has no \`choices\`: name an option for each decision point it changes, e.g. choices: { 'vfio_ap.init': 'none' }.`;
  return p as Policy;
}

/**
 * `require` of a TypeScript file. Under `node -r tsx/cjs` and ts-node the hook is there already; a
 * runner without one (vitest's module runner, whose `require` is Node's own) gets tsx's CommonJS
 * hook registered once. Policy files import nothing but types, so loading them outside the runner's
 * module graph is harmless.
 */
function requireTs(file: string): { default?: unknown } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!require.extensions['.ts'] && existsSync(`${file}.ts`)) require('tsx/cjs/api').register();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as { default?: unknown };
}

/** The line of a load error that says what is wrong: esbuild's `file:line:col: ERROR: ...`, else the message's first line, with where it threw. */
function firstLineOf(err: unknown, shown: string): string {
  if (!(err instanceof Error)) return String(err);
  const esbuild = (err as { errors?: { text?: string; location?: { line: number; column: number } }[] }).errors?.[0];
  if (esbuild?.text) return `${shown}${esbuild.location ? `:${esbuild.location.line}:${esbuild.location.column + 1}` : ''}: ${esbuild.text}`;
  const lines = err.message.split('\n').map((l) => l.trim()).filter(Boolean);
  // tsx reports a syntax error as "Transform failed with 1 error:\n<path>:<line>:<col>: ERROR: <text>".
  const syntax = lines.map((l) => /:(\d+):(\d+): ERROR: (.*)$/.exec(l)).find((m) => m !== null);
  if (syntax) return `${shown}:${syntax[1]}:${syntax[2]}: ${syntax[3]}`;
  if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && lines[0]?.includes(shown.replace(/\.ts$/, '').split('/').pop()!))
    return `${shown} does not exist (the registry in src/policies/index.ts names it)`;
  const frame = err.stack?.split('\n').find((l) => l.includes(shown.split('/').pop()!));
  const at = frame ? /:(\d+):(\d+)\)?$/.exec(frame) : null;
  return `${at ? `${shown}:${at[1]}: ` : ''}it throws ${err.name === 'Error' ? '' : `${err.name}: `}${lines[0] ?? '(no message)'}`;
}

/** The kernel releases, oldest first (the history table's columns). */
export const KERNEL_POLICY_IDS = POLICY_IDS.filter((id) => POLICIES[id] !== undefined && POLICIES[id].base === undefined);

export const DEFAULT_POLICY_ID: PolicyId = 'v11';

export function isPolicyId(id: string): id is PolicyId {
  return (POLICY_IDS as string[]).includes(id);
}

/**
 * Look a policy up, resolved through its base; an unknown id is an error that lists the known ones,
 * a broken one a PolicyLoadError naming its file.
 */
export function getPolicy(id: string): Policy {
  if (!isPolicyId(id))
    throw new Error(`unknown policy "${id}". Known policies: ${POLICY_IDS.join(', ')}. Add one in src/policies/ and register it in src/policies/index.ts.`);
  const broken = BROKEN.get(id);
  if (broken !== undefined) throw new PolicyLoadError(broken);
  let resolved = RESOLVED.get(id);
  if (!resolved) {
    try {
      resolved = resolvePolicy(POLICIES[id], (b) => {
        if (BROKEN.has(b)) throw new PolicyLoadError(`policy "${id}" is based on "${b}", which cannot be used: ${BROKEN.get(b)}`);
        return isPolicyId(b) ? POLICIES[b] : undefined;
      });
    } catch (err) {
      throw err instanceof PolicyLoadError ? err : new PolicyLoadError((err as Error).message);
    }
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
  const own: Policy['choices'] = (isPolicyId(id) ? POLICIES[id]?.choices : undefined) ?? {};
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
