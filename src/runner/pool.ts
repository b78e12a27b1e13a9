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
import { TestStepResultStatus, type Envelope, type Pickle, type TestCase } from '@cucumber/messages';
import type { IRunConfiguration } from '@cucumber/cucumber/api';
import type { PolicyTask, WorkerMessage, WorkerSetup } from './worker-protocol';

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
  /** Staging directory for this policy's cucumber files (messages.ndjson, junit.xml, ...). */
  readonly dir: string;
  readonly html: boolean;
}

export interface TimedOutCell {
  readonly policy: string;
  readonly uri: string;
  readonly line: number;
  readonly scenario: string;
  /** The text of the step that was running (without its keyword). */
  readonly step: string;
}

export interface PolicyOutcome {
  readonly policy: string;
  readonly part?: number | undefined;
  /** Every forwarded envelope of the policy's run(s), in order, including the synthesised time-outs. */
  readonly envelopes: readonly Envelope[];
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

/**
 * Run every spec, `jobs` at a time; `onOutcome` is called as each policy finishes, in completion
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

/** One policy: a run, and after each time-out a fresh worker for the scenarios still to run. */
async function runSpec(spec: PolicySpec, options: PoolOptions, live: Set<Worker>, isInterrupted: () => boolean): Promise<PolicyOutcome> {
  const t0 = Date.now();
  const envelopes: Envelope[] = [];
  const timedOut: TimedOutCell[] = [];
  let config = spec.config;
  for (let attempt = 1; ; attempt++) {
    const files = cucumberFiles(spec, attempt);
    const r = await runAttempt(spec.policy, config, files, options, live);
    if (isInterrupted()) throw new Interrupted();
    envelopes.push(...r.envelopes);
    if (r.kind === 'done') return { policy: spec.policy, part: spec.part, envelopes, success: r.success, timedOut, ms: Date.now() - t0 };
    if (r.kind === 'failed') return { policy: spec.policy, part: spec.part, envelopes, success: false, timedOut, error: r.message, ms: Date.now() - t0 };
    timedOut.push({ policy: spec.policy, ...r.cell });
    envelopes.push(...r.synthesised);
    if (!r.remaining.length) return { policy: spec.policy, part: spec.part, envelopes, success: false, timedOut, ms: Date.now() - t0 };
    // The rest of the selection, by file:line (shard and tags were applied already).
    config = { ...config, sources: { ...config.sources, paths: r.remaining, shard: undefined } } as IRunConfiguration;
  }
}

function cucumberFiles(spec: PolicySpec, attempt: number): Record<string, string> {
  // A run resumed after a time-out writes its own files beside the first run's.
  const suffix = `${spec.part ? `-part-${spec.part}` : ''}${attempt === 1 ? '' : `-resumed-${attempt}`}`;
  const files: Record<string, string> = { [join(spec.dir, `messages${suffix}.ndjson`)]: 'message', [join(spec.dir, `junit${suffix}.xml`)]: 'junit' };
  if (spec.html) files[join(spec.dir, `cucumber${suffix}.html`)] = 'html';
  return files;
}

type Attempt =
  | { kind: 'done'; success: boolean; envelopes: Envelope[] }
  | { kind: 'failed'; message: string; envelopes: Envelope[] }
  | { kind: 'timed-out'; envelopes: Envelope[]; synthesised: Envelope[]; cell: Omit<TimedOutCell, 'policy'>; remaining: string[] };

function runAttempt(policy: string, config: IRunConfiguration, files: Record<string, string>, options: PoolOptions, live: Set<Worker>): Promise<Attempt> {
  return new Promise((resolve) => {
    const worker = takeWorker(options.setup);
    live.add(worker);
    const envelopes: Envelope[] = [];
    const pickles = new Map<string, Pickle>();
    const testCases = new Map<string, TestCase>();
    const caseOfStarted = new Map<string, string>();
    const finished = new Set<string>(); // pickle ids
    let current: { startedId: string; stepId?: string; since: number } | undefined;
    let settled = false;
    let ready = false;

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
      if (m.type === 'ready') {
        ready = true;
        const task: PolicyTask = { type: 'task', policy, config, files };
        worker.postMessage(task);
      } else if (m.type === 'stderr') options.stderr.write(m.text);
      else if (m.type === 'envelopes') {
        for (const e of m.envelopes) {
          if (e.pickle) pickles.set(e.pickle.id, e.pickle);
          else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
          else if (e.testCaseStarted) {
            caseOfStarted.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
            current = { startedId: e.testCaseStarted.id, since: Date.now() };
          } else if (e.testStepStarted) {
            if (current?.startedId === e.testStepStarted.testCaseStartedId) current.stepId = e.testStepStarted.testStepId;
            continue; // only the watchdog reads it
          } else if (e.testCaseFinished) {
            const tc = testCases.get(caseOfStarted.get(e.testCaseFinished.testCaseStartedId) ?? '');
            if (tc && !e.testCaseFinished.willBeRetried) finished.add(tc.pickleId);
            current = undefined;
          }
          envelopes.push(e);
        }
      } else if (m.type === 'done') settle({ kind: 'done', success: m.success, envelopes }, true);
      else settle({ kind: 'failed', message: m.message, envelopes }, false);
    };
    const onError = (err: Error) => settle({ kind: 'failed', message: `the cucumber worker stopped: ${err.message}`, envelopes }, false);
    const onExit = (code: number) => settle({ kind: 'failed', message: `the cucumber worker exited (code ${code})`, envelopes }, false);
    const watchdog = setInterval(() => {
      if (!ready || !current || Date.now() - current.since <= options.timeoutMs) return;
      settle(timedOutAttempt(current, options.timeoutMs, envelopes, pickles, testCases, caseOfStarted, finished), false);
    }, WATCHDOG_MS);
    watchdog.unref();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (workerReady.has(worker)) onMessage({ type: 'ready' });
  });
}

/** The running scenario ends as failed at its running step; the scenarios not yet run are listed by file:line. */
function timedOutAttempt(
  current: { startedId: string; stepId?: string; since: number },
  timeoutMs: number,
  envelopes: Envelope[],
  pickles: Map<string, Pickle>,
  testCases: Map<string, TestCase>,
  caseOfStarted: Map<string, string>,
  finished: Set<string>,
): Attempt {
  const testCase = testCases.get(caseOfStarted.get(current.startedId) ?? '');
  const pickle = testCase && pickles.get(testCase.pickleId);
  const stepId = current.stepId ?? testCase?.testSteps[0]?.id ?? '';
  const step = testCase?.testSteps.find((s) => s.id === stepId);
  const stepText = step?.pickleStepId ? (pickle?.steps.find((s) => s.id === step.pickleStepId)?.text ?? 'a step') : step?.hookId ? 'a hook' : 'a step';
  const elapsed = Date.now() - current.since;
  const timestamp = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
  const message =
    `timed out: the scenario ran for more than ${timeoutMs} ms (its time budget) and was stopped in this step. ` +
    'A policy decision or a step that never returns (a loop) does this; if the scenario is only slow, raise the budget with --timeout-ms.';
  const synthesised: Envelope[] = [
    {
      testStepFinished: {
        testCaseStartedId: current.startedId,
        testStepId: stepId,
        testStepResult: {
          status: TestStepResultStatus.FAILED,
          message,
          exception: { type: 'TimeoutError', message },
          duration: { seconds: Math.floor(elapsed / 1000), nanos: (elapsed % 1000) * 1e6 },
        },
        timestamp,
      },
    },
    { testCaseFinished: { testCaseStartedId: current.startedId, willBeRetried: false, timestamp } },
  ];
  if (testCase) finished.add(testCase.pickleId);
  const remaining = new Set<string>();
  for (const tc of testCases.values()) {
    const p = pickles.get(tc.pickleId);
    if (!p || finished.has(p.id)) continue;
    remaining.add(`${p.uri}:${p.location?.line ?? 0}`);
  }
  return {
    kind: 'timed-out',
    envelopes,
    synthesised,
    cell: { uri: pickle?.uri ?? '?', line: pickle?.location?.line ?? 0, scenario: pickle?.name ?? '?', step: stepText },
    remaining: [...remaining],
  };
}

// ---- the worker cache -------------------------------------------------------------------------

const idle = new Map<string, Worker[]>();
const workerReady = new WeakSet<Worker>();

function keyOf(setup: WorkerSetup): string {
  return JSON.stringify(setup);
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
