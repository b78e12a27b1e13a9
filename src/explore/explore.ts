/**
 * The explorer's composition root: for each policy, search (breadth-first, or randomized with
 * fast-check), turn each invariant's shortest counterexample into a .feature file with its
 * verdicts under every policy, write it atomically, and summarize. It never exits; the CLI does.
 */
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { Writable } from 'node:stream';
import { POLICY_IDS, getPolicy } from '../policies';
import { writeFileAtomic } from '../common/write-atomic';
import { alphabet } from './arbitraries';
import { bfs, type BfsProgress } from './bfs';
import type { ExploreCommand } from './commands/base';
import { getInvariants, type Invariant, type Violation } from './invariants';
import { randomSearch } from './random';
import { toFeature, verdicts, type ScenarioSource, type Verdicts } from './to-feature';
import { DEFAULT_WORLD, type World } from './world';

export interface ExploreOptions {
  readonly policies?: readonly string[];
  readonly invariants?: readonly string[];
  readonly depth?: number;
  readonly seed?: number;
  readonly timeLimitMs?: number;
  /** fast-check model-based runs instead of breadth-first search. */
  readonly random?: boolean;
  readonly numRuns?: number;
  /** Where `<policy>/<invariant>.feature` go (default reports/counterexamples under cwd). */
  readonly outDir: string;
  readonly world?: World;
  readonly signal?: AbortSignal;
  /** The breadth-first search's memory bound (default: heapOverBudget); injected by tests. */
  readonly memoryExceeded?: () => boolean;
}

export interface ExploreEnv {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface Found {
  readonly policy: string;
  readonly invariant: string;
  readonly steps: number;
  readonly file: string;
  readonly source: ScenarioSource;
  readonly verdicts: Verdicts;
  /** The scenario fails under its own policy (it must; false means the Then-steps miss the violation). */
  readonly reproduces: boolean;
}

export interface PolicyRun {
  readonly policy: string;
  readonly mode: 'bfs' | 'random';
  readonly states: number;
  /** Commands applied (random: over all runs and shrinks). */
  readonly transitions: number;
  /** Random: runs executed, over all invariants (a search stops at its first failing run). */
  readonly runs?: number;
  readonly depthReached: number;
  /** BFS: the space up to the depth was searched; random: no time limit cut a search short. */
  readonly complete: boolean;
  /** BFS: why it stopped before the depth (the memory bound, the time limit, Ctrl-C, or all found). */
  readonly stoppedBy?: 'time' | 'signal' | 'memory' | 'all-found';
  readonly ms: number;
}

export interface ExploreSummary {
  readonly found: Found[];
  readonly runs: PolicyRun[];
  readonly depth: number;
  readonly seed: number;
  readonly invariants: readonly Invariant[];
}

export const DEFAULT_DEPTH = 6;
export const DEFAULT_RANDOM_DEPTH = 20;
export const DEFAULT_SEED = 20180925;
/** Runs per invariant and policy with --random. */
export const DEFAULT_RUNS = 300;
/**
 * The share of V8's heap limit a breadth-first search may fill before it stops and writes what it
 * found: the rest is room for turning counterexamples into features (each replayed under every policy).
 */
export const HEAP_SHARE = 0.5;

/** True once the heap holds more than HEAP_SHARE of its limit (`--max-old-space-size` raises the limit). */
export function heapOverBudget(share = HEAP_SHARE): boolean {
  const h = getHeapStatistics();
  return h.used_heap_size > share * h.heap_size_limit;
}

export async function explore(options: ExploreOptions, env: ExploreEnv): Promise<ExploreSummary> {
  const world = options.world ?? DEFAULT_WORLD;
  const policies = options.policies?.length ? [...options.policies] : [...POLICY_IDS];
  for (const p of policies) getPolicy(p);
  const invariants = getInvariants(options.invariants);
  const depth = options.depth ?? (options.random ? DEFAULT_RANDOM_DEPTH : DEFAULT_DEPTH);
  const seed = options.seed ?? DEFAULT_SEED;
  const numRuns = options.numRuns ?? DEFAULT_RUNS;
  const cmds = alphabet(world);
  const found: Found[] = [];
  const runs: PolicyRun[] = [];

  for (const id of policies) {
    if (options.signal?.aborted) break;
    const policy = getPolicy(id);
    const results: { invariant: Invariant; path: ExploreCommand[]; violation: Violation; search: string }[] = [];
    if (options.random) {
      const t0 = performance.now();
      let steps = 0;
      let runCount = 0;
      let interrupted = false;
      for (const [i, inv] of invariants.entries()) {
        // The policy's time limit, shared equally by the invariants still to search.
        const left = options.timeLimitMs === undefined ? undefined : Math.max(0, (options.timeLimitMs - (performance.now() - t0)) / (invariants.length - i));
        const r = randomSearch({ policy, world, alphabet: cmds, invariant: inv, seed, numRuns, maxSteps: depth, ...(left !== undefined ? { timeLimitMs: left } : {}) });
        steps += r.steps;
        runCount += r.runs;
        interrupted ||= r.interrupted;
        if (r.counterexample)
          results.push({
            invariant: inv,
            path: r.counterexample.path,
            violation: r.counterexample.violation,
            search: `random (fast-check modelRun, failed at run ${r.runs} of ${numRuns}, ${r.shrinks} shrinks, up to ${depth} steps, replay path "${r.counterexample.fcPath}"; rerun: npm run explore -- --random --policy ${id} --invariant ${inv.name} --runs ${numRuns} --depth ${depth} --seed ${seed})`,
          });
      }
      runs.push({ policy: id, mode: 'random', states: 0, transitions: steps, runs: runCount, depthReached: depth, complete: !interrupted, ms: performance.now() - t0 });
    } else {
      const progress = (p: BfsProgress) =>
        env.stderr.write(`explore ${id}: depth ${p.depth}, ${p.states.toLocaleString('en')} states, ${p.transitions.toLocaleString('en')} steps, ${Math.round((p.transitions / p.ms) * 1000).toLocaleString('en')} steps/s\n`);
      const r = bfs({
        policy,
        world,
        alphabet: cmds,
        invariants,
        depth,
        ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        memoryExceeded: options.memoryExceeded ?? (() => heapOverBudget()),
        onProgress: progress,
      });
      if (r.stoppedBy === 'memory') {
        const mb = (n: number) => `${Math.round(n / 2 ** 20).toLocaleString('en')} MB`;
        const h = getHeapStatistics();
        env.stderr.write(
          `explore ${id}: stopped at depth ${r.depthReached + 1} after ${r.states.toLocaleString('en')} states: the search holds ${mb(h.used_heap_size)} of the ${mb(h.heap_size_limit)} heap limit. ` +
            `What it found so far is written; for deeper sequences use --random (fast-check, constant memory), or fewer invariants (--invariant).\n`,
        );
      }
      runs.push({ policy: id, mode: 'bfs', states: r.states, transitions: r.transitions, depthReached: r.depthReached, complete: r.complete, ms: r.ms, ...(r.stoppedBy ? { stoppedBy: r.stoppedBy } : {}) });
      for (const inv of invariants) {
        const c = r.counterexamples.get(inv.name);
        if (c) results.push({ invariant: inv, path: [...c.path], violation: c.violation, search: `breadth-first, depth ${depth}, shortest first` });
      }
    }
    for (const res of results) {
      const source: ScenarioSource = { invariant: res.invariant, policy: id, world, path: res.path, then: res.violation.then, search: res.search, seed, message: res.violation.message };
      const v = verdicts(source);
      const file = join(options.outDir, id, `${res.invariant.name}.feature`);
      await writeFileAtomic(file, toFeature(source, v));
      found.push({ policy: id, invariant: res.invariant.name, steps: res.path.length, file, source, verdicts: v, reproduces: v.failsUnder.includes(id) });
    }
  }
  return { found, runs, depth, seed, invariants };
}

/** The summary table: invariants x policies; a cell is the counterexample's length, or why there is none. */
export function summaryTable(s: ExploreSummary): string {
  const policies = s.runs.map((r) => r.policy);
  const cell = (inv: string, p: string) => {
    const f = s.found.find((x) => x.invariant === inv && x.policy === p);
    if (f) return `${f.steps} steps${f.reproduces ? '' : ' (!)'}`;
    const run = s.runs.find((r) => r.policy === p)!;
    return run.mode === 'random' ? 'none found' : run.complete ? `none <= ${s.depth}` : `none <= ${run.depthReached}*`;
  };
  const rows = [['invariant', ...policies], ...s.invariants.map((i) => [i.name, ...policies.map((p) => cell(i.name, p))])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(widths[c]!)).join('  ');
  const stats = s.runs.map(
    (r) =>
      `${r.policy}: ${r.mode === 'bfs' ? `${r.states.toLocaleString('en')} states, ${r.transitions.toLocaleString('en')} steps, depth ${r.depthReached}${r.complete ? ' (exhaustive)' : r.stoppedBy === 'memory' ? ' (stopped early: memory bound)' : ' (stopped early)'}` : `${(r.runs ?? 0).toLocaleString('en')} runs, ${r.transitions.toLocaleString('en')} steps, up to ${r.depthReached} steps a run${r.complete ? '' : ' (time limit)'}`}, ${(r.ms / 1000).toFixed(1)} s`,
  );
  return [line(rows[0]!), ...rows.slice(1).map(line), '', ...stats, ...(s.found.some((f) => !f.reproduces) ? ['(!) the emitted scenario does not fail under its policy: its Then-steps miss the violation'] : [])].join('\n');
}
