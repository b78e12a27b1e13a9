/**
 * Breadth-first search over command sequences (xstate's graph search habits: a serialized state
 * key, the events enabled in a state, shortest paths first).
 *
 * Each frontier node keeps a System snapshot; a transition clones it (src/sim/snapshot.ts) and
 * applies one command. Equal states (System key + model key) are expanded once. The first violation
 * of an invariant met in breadth-first order is a shortest counterexample to it (within the
 * alphabet; names are taken in order, which keeps shortest lengths).
 */
import { type Policy, cloneSystem, stateKey, type System } from '../sim/api';
import type { ExploreCommand } from './commands/base';
import type { Invariant, Violation } from './invariants';
import { cloneModel, modelKey, type Model } from './model';
import type { Real } from './real';
import { start } from './run';
import type { World } from './world';

export interface BfsOptions {
  readonly policy: Policy;
  readonly world: World;
  readonly alphabet: readonly ExploreCommand[];
  readonly invariants: readonly Invariant[];
  readonly depth: number;
  /** Stop once every invariant has a counterexample (default true). */
  readonly stopWhenAllFound?: boolean;
  /** Wall-clock limit in ms; the search reports `complete: false` when it hits it. */
  readonly timeLimitMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Asked every MEMORY_CHECK_EVERY transitions: true stops the search as the time limit does, keeping
   * what it found. Each frontier node holds a System snapshot (about 20 kB), so a deep search outgrows
   * the heap long before its time: `--depth 1000` ran out of memory after 228 s and lost every finding.
   */
  readonly memoryExceeded?: () => boolean;
  /** Called about once a second. */
  readonly onProgress?: (p: BfsProgress) => void;
  /** Injected clock (ms), for tests and the benchmark. */
  readonly now?: () => number;
}

export interface BfsProgress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly ms: number;
}

export interface Counterexample {
  readonly invariant: string;
  readonly path: readonly ExploreCommand[];
  readonly violation: Violation;
}

export interface BfsResult {
  readonly counterexamples: Map<string, Counterexample>;
  /** Distinct states reached (including the start). */
  readonly states: number;
  /** Commands applied (each at least one call into the simulator API). */
  readonly transitions: number;
  /** Deepest layer completed. */
  readonly depthReached: number;
  /** The whole space up to `depth` was searched. */
  readonly complete: boolean;
  /** Why an incomplete search stopped. */
  readonly stoppedBy?: 'time' | 'signal' | 'memory' | 'all-found';
  readonly ms: number;
}

interface PathNode {
  readonly parent: PathNode | undefined;
  readonly cmd: ExploreCommand | undefined;
}

interface FrontierNode {
  readonly path: PathNode;
  readonly sys: System;
  readonly model: Model;
}

/** How often (in transitions) the search asks `memoryExceeded`. */
const MEMORY_CHECK_EVERY = 512;

function pathOf(node: PathNode, last?: ExploreCommand): ExploreCommand[] {
  const out: ExploreCommand[] = last ? [last] : [];
  for (let n: PathNode | undefined = node; n?.cmd; n = n.parent) out.push(n.cmd);
  return out.reverse();
}

export function bfs(options: BfsOptions): BfsResult {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const { policy, world, invariants } = options;
  const stopWhenAllFound = options.stopWhenAllFound ?? true;
  const stateInvs = invariants.filter((i) => i.scope === 'state');
  const transitionInvs = invariants.filter((i) => i.scope === 'transition');
  const cmds = options.alphabet.filter((c) => !c.observation);
  const found = new Map<string, Counterexample>();
  const visited = new Set<string>();
  let transitions = 0;
  let lastProgress = t0;
  let complete = true;
  let stoppedBy: BfsResult['stoppedBy'];

  const record = (m: Model, r: Real, invs: readonly Invariant[], path: () => ExploreCommand[]) => {
    for (const inv of invs) {
      if (found.has(inv.name)) continue;
      const v = inv.check(m, r);
      if (v) found.set(inv.name, { invariant: inv.name, path: path(), violation: v });
    }
  };

  const root = start(policy, world, false);
  visited.add(`${stateKey(root.real.sys)}|${modelKey(root.model)}`);
  const rootPath: PathNode = { parent: undefined, cmd: undefined };
  record(root.model, root.real, stateInvs, () => []);
  let frontier: FrontierNode[] = [{ path: rootPath, sys: root.real.sys, model: root.model }];
  let depthReached = 0;

  outer: for (let depth = 0; depth < options.depth && frontier.length; depth++) {
    const next: FrontierNode[] = [];
    for (const node of frontier) {
      for (const cmd of cmds) {
        if (!cmd.check(node.model)) continue;
        const model = cloneModel(node.model);
        const real: Real = { sys: cloneSystem(node.sys), policy, world, trace: false, last: undefined, refusedGiven: false };
        cmd.run(model, real);
        transitions++;
        if (options.memoryExceeded && transitions % MEMORY_CHECK_EVERY === 0 && options.memoryExceeded()) {
          complete = false;
          stoppedBy = 'memory';
          break outer;
        }
        if (real.refusedGiven) continue;
        if (transitionInvs.length) record(model, real, transitionInvs, () => pathOf(node.path, cmd));
        const key = `${stateKey(real.sys)}|${modelKey(model)}`;
        if (visited.has(key)) continue;
        visited.add(key);
        record(model, real, stateInvs, () => pathOf(node.path, cmd));
        if (real.sys.oops) continue; // nothing runs after an oops
        if (depth + 1 < options.depth) next.push({ path: { parent: node.path, cmd }, sys: real.sys, model });
      }
      if (stopWhenAllFound && found.size === invariants.length) break outer;
      {
        const t = now();
        if (options.timeLimitMs !== undefined && t - t0 > options.timeLimitMs) {
          complete = false;
          stoppedBy = 'time';
          break outer;
        }
        if (options.signal?.aborted) {
          complete = false;
          stoppedBy = 'signal';
          break outer;
        }
        if (options.onProgress && t - lastProgress >= 1000) {
          lastProgress = t;
          options.onProgress({ states: visited.size, transitions, depth: depth + 1, ms: t - t0 });
        }
      }
    }
    depthReached = depth + 1;
    frontier = next;
  }
  if (stopWhenAllFound && found.size === invariants.length) {
    complete = false;
    stoppedBy ??= 'all-found';
  }
  return { counterexamples: found, states: visited.size, transitions, depthReached, complete, ms: now() - t0, ...(stoppedBy ? { stoppedBy } : {}) };
}
