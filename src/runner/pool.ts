/**
 * Runs policies on cucumber worker threads, several at once, with a time budget per scenario.
 *
 * Why threads: each worker loads the support code once (cucumber's `loadSupport`) and then calls
 * `runCucumber` once per policy it is given, so a 2-core machine runs two policies at a time
 * while the main thread only collects envelopes. Cucumber's own `parallel` runtime was measured
 * too (docs/performance.md): it forks a process per worker per run and reloads the support code
 * in each, and its per-policy world parameters would still need one coordinator per policy.
 *
 * A worker is also where a signal can reach the work: a policy that loops forever blocks its
 * thread, never the main one, so the watchdog here can `terminate()` it (V8 stops even a tight
 * synchronous loop), record the scenario as timed out at the step that was running, and start a
 * fresh worker for the scenarios that had not run yet. Ctrl-C terminates every worker at once.
 *
 * Loaded workers are kept (unref'd, so they never hold the process open) and reused by the next
 * run with the same support code in this process: tests call runMatrix many times.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { IRunConfiguration, ISourcesCoordinates } from '@cucumber/cucumber/api';
import type { CollectedRun } from '../report/collect';
import { PROGRESS, PROGRESS_SLOTS, type PolicyTask, type TimedOutScenario, type WorkerMessage, type WorkerSetup } from './worker-protocol';

export interface PoolOptions {
  readonly setup: WorkerSetup;
  /** Workers at most (default: the machine's available parallelism); never more than tasks. */
  readonly jobs?: number;
  /** Time budget of one scenario, ms. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly stderr: Writable;
}

export interface PolicySpec {
  readonly policy: string;
  /** Which part of the selection (1-based) when a policy runs in parts; see run-matrix.ts CHUNK_SCENARIOS. */
  readonly part?: number | undefined;
  readonly config: IRunConfiguration;
  /** The scenarios this spec selects (file and line), to resume after a time-out without them. */
  readonly scenarios: readonly { readonly uri: string; readonly line: number }[];
  /** Staging directory for this policy's cucumber files (messages.ndjson, junit.xml, ...). */
  readonly dir: string;
  readonly html: boolean;
}

export interface TimedOutCell {
  readonly policy: string;
  readonly uri: string;
  readonly line: number;
  /** Index of the step that was running among the scenario's steps (-1: a hook before the first); its cell names it. */
  readonly stepIndex: number;
}

export interface PolicyOutcome {
  readonly policy: string;
  readonly part?: number | undefined;
  /** The cells of this spec, the timed-out ones included, as CollectedRun JSON. */
  readonly runJson: string;
  readonly success: boolean;
  readonly timedOut: readonly TimedOutCell[];
  /** Set when the worker itself failed (support code that does not load, a crash). */
  readonly error?: string;
  readonly ms: number;
}

export class Interrupted extends Error {
  override name = 'Interrupted';
}

export const DEFAULT_TIMEOUT_MS = 5_000;
const WATCHDOG_MS = 100;
const ENTRY = join(__dirname, 'cucumber-worker.cjs');
const NO_RUN = JSON.stringify({ scenarios: [], runErrors: [] } satisfies CollectedRun);

/**
 * Run every spec, `jobs` at a time; `onOutcome` is called as each spec finishes, in completion
 * order (the caller orders the results). Rejects with Interrupted when the signal aborts.
 */
export async function runPolicies(specs: readonly PolicySpec[], options: PoolOptions, onOutcome: (o: PolicyOutcome) => void | Promise<void>): Promise<void> {
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), specs.length));
  const queue = [...specs];
  const live = new Set<Worker>();
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    for (const w of live) void w.terminate();
  };
  if (options.signal?.aborted) throw new Interrupted();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const lane = async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        if (interrupted) return;
        await onOutcome(await runSpec(spec, options, live, () => interrupted));
      }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
    if (interrupted) throw new Interrupted();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** One spec: a run, and after each time-out a fresh worker for the spec without the scenarios that timed out. */
async function runSpec(spec: PolicySpec, options: PoolOptions, live: Set<Worker>, isInterrupted: () => boolean): Promise<PolicyOutcome> {
  const t0 = Date.now();
  const timedOut: TimedOutCell[] = [];
  const stopped: TimedOutScenario[] = [];
  let config = spec.config;
  for (let attempt = 1; ; attempt++) {
    const task: PolicyTask = {
      type: 'task',
      policy: spec.policy,
      config,
      files: cucumberFiles(spec, attempt),
      timedOut: stopped,
      scenarios: spec.scenarios,
      progress: new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT),
    };
    const r = await runAttempt(task, options, live);
    if (isInterrupted()) throw new Interrupted();
    const ms = Date.now() - t0;
    if (r.kind === 'done') return { policy: spec.policy, part: spec.part, runJson: r.runJson, success: r.success && !timedOut.length, timedOut, ms };
    if (r.kind === 'failed') return { policy: spec.policy, part: spec.part, runJson: NO_RUN, success: false, timedOut, error: r.message, ms };
    const { stepIndex, elapsedMs } = r.at;
    const { uri, line } = spec.scenarios[r.at.scenario] ?? { uri: '?', line: 0 };
    timedOut.push({ policy: spec.policy, uri, line, stepIndex });
    const message =
      `timed out: the scenario ran for more than ${options.timeoutMs} ms (its time budget) and was stopped in this step${stepIndex < 0 ? ' (in a hook before it)' : ''}. ` +
      'A policy decision or a step that never returns (a loop) does this; if the scenario is only slow, raise the budget with --timeout-ms.';
    stopped.push({ uri, line, stepIndex, message, elapsedMs });
    config = { ...config, sources: resumeSources(config.sources, spec.scenarios, stopped) };
  }
}

/**
 * The spec's scenarios without those that timed out, by file:line (shard and tags were applied
 * already). A file whose only scenarios timed out is still loaded (line 0 selects nothing) so that
 * the worker has their pickles to write their cells from.
 */
function resumeSources(sources: ISourcesCoordinates, scenarios: PolicySpec['scenarios'], stopped: readonly TimedOutScenario[]): ISourcesCoordinates {
  const skip = new Set(stopped.map((t) => `${t.uri}:${t.line}`));
  const lines = new Map<string, number[]>();
  for (const t of stopped) lines.set(t.uri, [0]);
  for (const s of scenarios) if (!skip.has(`${s.uri}:${s.line}`)) lines.set(s.uri, [...(lines.get(s.uri) ?? []), s.line]);
  return { ...sources, paths: [...lines].map(([uri, ls]) => `${uri}:${ls.join(':')}`), shard: undefined } as ISourcesCoordinates;
}

function cucumberFiles(spec: PolicySpec, attempt: number): Record<string, string> {
  // A run resumed after a time-out writes its own files beside the first run's.
  const suffix = `${spec.part ? `-part-${spec.part}` : ''}${attempt === 1 ? '' : `-resumed-${attempt}`}`;
  const files: Record<string, string> = { [join(spec.dir, `messages${suffix}.ndjson`)]: 'message', [join(spec.dir, `junit${suffix}.xml`)]: 'junit' };
  if (spec.html) files[join(spec.dir, `cucumber${suffix}.html`)] = 'html';
  return files;
}

type Attempt =
  | { kind: 'done'; success: boolean; runJson: string }
  | { kind: 'failed'; message: string }
  | { kind: 'timed-out'; at: { scenario: number; stepIndex: number; elapsedMs: number } };

function runAttempt(task: PolicyTask, options: PoolOptions, live: Set<Worker>): Promise<Attempt> {
  return new Promise((resolve) => {
    const worker = takeWorker(options.setup);
    live.add(worker);
    const progress = new Int32Array(task.progress);
    let seen = { started: 0, since: Date.now() };
    let settled = false;

    const settle = (a: Attempt, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      live.delete(worker);
      if (keep) giveBack(options.setup, worker);
      else void worker.terminate();
      resolve(a);
    };
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') worker.postMessage(task);
      else if (m.type === 'stderr') options.stderr.write(m.text);
      else if (m.type === 'done') settle({ kind: 'done', success: m.success, runJson: m.runJson }, true);
      else settle({ kind: 'failed', message: m.message }, false);
    };
    const onError = (err: Error) => settle({ kind: 'failed', message: `the cucumber worker stopped: ${err.message}` }, false);
    const onExit = (code: number) => settle({ kind: 'failed', message: `the cucumber worker exited (code ${code})` }, false);
    // The worker counts scenarios as they start; the same count a budget later, with a scenario
    // running, is a scenario that has run for longer than its budget.
    const watchdog = setInterval(() => {
      const started = Atomics.load(progress, PROGRESS.started);
      if (started !== seen.started) seen = { started, since: Date.now() };
      else if (Atomics.load(progress, PROGRESS.running) === 1 && Date.now() - seen.since > options.timeoutMs)
        settle(
          {
            kind: 'timed-out',
            at: { scenario: Atomics.load(progress, PROGRESS.scenario), stepIndex: Atomics.load(progress, PROGRESS.step), elapsedMs: Date.now() - seen.since },
          },
          false,
        );
    }, WATCHDOG_MS);
    watchdog.unref();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (workerReady.has(worker)) onMessage({ type: 'ready' });
  });
}

// ---- the worker cache -------------------------------------------------------------------------

const idle = new Map<string, Worker[]>();
const workerReady = new WeakSet<Worker>();

function keyOf(setup: WorkerSetup): string {
  // cucumber's loadSupport reads the feature selection only to guess where step definitions live
  // when none are configured (deriveSupportPaths). With `require`/`import` paths configured, as in
  // cucumber.js, a worker loaded for one selection (paths, tags, shard) serves any other: each task
  // carries its own sources. Without this every runMatrix call with another selection paid for a
  // fresh worker (~0.7 s of CPU each).
  const configured = (setup.support.requirePaths?.length ?? 0) + (setup.support.importPaths?.length ?? 0) > 0;
  return JSON.stringify(configured ? { ...setup, sources: null } : setup);
}

function takeWorker(setup: WorkerSetup): Worker {
  const cached = idle.get(keyOf(setup))?.pop();
  if (cached) {
    cached.ref();
    return cached;
  }
  // A young generation of 16 MB instead of V8's 48: a scenario's garbage is small and short-lived,
  // and the difference is resident memory per worker (measured in docs/performance.md).
  const worker = new Worker(ENTRY, { workerData: setup, env: { ...setup.env }, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  const markReady = (m: WorkerMessage) => {
    if (m.type !== 'ready') return;
    workerReady.add(worker);
    worker.off('message', markReady);
  };
  worker.on('message', markReady);
  // A worker that dies while idle (it should not) is forgotten.
  worker.once('exit', () => {
    const l = idle.get(keyOf(setup));
    if (l?.includes(worker)) l.splice(l.indexOf(worker), 1);
  });
  return worker;
}

function giveBack(setup: WorkerSetup, worker: Worker): void {
  const list = idle.get(keyOf(setup)) ?? [];
  list.push(worker);
  idle.set(keyOf(setup), list);
  worker.unref();
}

/**
 * Stop the idle workers kept for `setup` (all when none is given). A one-shot process (`npm start`)
 * calls it once the last policy is done: the workers' heaps are then only resident memory while
 * the report is assembled.
 */
export async function releaseWorkers(setup?: WorkerSetup): Promise<void> {
  const keys = setup ? [keyOf(setup)] : [...idle.keys()];
  const workers = keys.flatMap((k) => idle.get(k) ?? []);
  for (const k of keys) idle.delete(k);
  await Promise.all(workers.map((w) => w.terminate()));
}

/**
 * Start up to `count` workers for `setup` ahead of the first task (kept idle, unref'd, until a task
 * takes them): their support code loads while the caller is still parsing the features.
 */
export function prewarmWorkers(setup: WorkerSetup, count: number): void {
  const have = idle.get(keyOf(setup))?.length ?? 0;
  for (let i = have; i < count; i++) giveBack(setup, takeWorker(setup));
}
