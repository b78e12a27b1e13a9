/**
 * A cucumber worker thread (started by src/runner/pool.ts through cucumber-worker.cjs): loads the
 * support code once with cucumber's `loadSupport`, then runs each task it is sent with
 * `runCucumber` and sends back the task's cells (protocol: ./worker-protocol.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { Writable } from 'node:stream';
import { TestStepResultStatus, type Envelope, type Pickle, type TestCase } from '@cucumber/messages';
import { loadSupport, runCucumber, type IRunEnvironment, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { collectRun } from '../report/collect';
import { PROGRESS, type PolicyTask, type TimedOutScenario, type WorkerMessage, type WorkerSetup } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('src/runner/cucumber-worker.ts runs only as a worker thread (see src/runner/pool.ts)');
const setup = workerData as WorkerSetup;
const post = (m: WorkerMessage) => port.postMessage(m);

const stderr = new Writable({
  write(chunk, _enc, done) {
    post({ type: 'stderr', text: String(chunk) });
    done();
  },
});
const sink = new Writable({ write: (_c, _e, done) => done() });
const environment: IRunEnvironment = { cwd: setup.cwd, stdout: sink, stderr, env: setup.env };

let support: ISupportCodeLibrary | undefined;

async function start(): Promise<void> {
  try {
    support = await loadSupport({ sources: setup.sources, support: setup.support }, environment);
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'failed', message: describe(err) });
  }
}

/** The envelopes collectRun reads; sources, meta, step definitions and run hooks are not kept. */
function isKept(e: Envelope): boolean {
  return !!(
    e.gherkinDocument ||
    e.pickle ||
    e.testCase ||
    e.hook ||
    e.suggestion ||
    e.testCaseStarted ||
    e.testStepFinished ||
    e.attachment ||
    e.testCaseFinished ||
    e.parseError ||
    e.testRunFinished
  );
}

async function run(task: PolicyTask): Promise<void> {
  const envelopes: Envelope[] = [];
  const pickles = new Map<string, Pickle>();
  const testCases = new Map<string, TestCase>();
  const caseOf = new Map<string, TestCase>(); // by testCaseStarted id
  const timedOut = new Map(task.timedOut.map((t) => [`${t.uri}:${t.line}`, t]));
  const scenarioIndex = new Map(task.scenarios.map((s, i) => [`${s.uri}:${s.line}`, i]));
  const progress = new Int32Array(task.progress);
  try {
    const { config } = task;
    const { success } = await runCucumber(
      {
        ...config,
        support: support!,
        runtime: { ...config.runtime, worldParameters: { ...config.runtime.worldParameters, policy: task.policy } },
        formats: {
          ...config.formats,
          // The runner prints its own progress; cucumber's stdout formatter goes to a sink.
          stdout: 'summary',
          files: { ...task.files },
          publish: false,
          options: { ...config.formats.options, junit: { suiteName: `apspec ${task.policy}` } },
        },
      },
      environment,
      (e) => {
        if (e.pickle) {
          pickles.set(e.pickle.id, e.pickle);
          const t = timedOut.get(`${e.pickle.uri}:${e.pickle.location?.line ?? 0}`);
          if (t) envelopes.push(...timedOutCase(e.pickle, t));
        } else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
        else if (e.testCaseStarted) {
          const tc = testCases.get(e.testCaseStarted.testCaseId);
          const p = tc && pickles.get(tc.pickleId);
          if (tc) caseOf.set(e.testCaseStarted.id, tc);
          Atomics.store(progress, PROGRESS.scenario, scenarioIndex.get(`${p?.uri}:${p?.location?.line ?? 0}`) ?? -1);
          Atomics.store(progress, PROGRESS.step, -1);
          Atomics.store(progress, PROGRESS.running, 1);
          Atomics.add(progress, PROGRESS.started, 1);
        } else if (e.testStepStarted) {
          // Written before the step runs: if it never returns, the main thread knows where it hangs.
          const tc = caseOf.get(e.testStepStarted.testCaseStartedId);
          const step = tc?.testSteps.find((s) => s.id === e.testStepStarted!.testStepId);
          const p = tc && pickles.get(tc.pickleId);
          Atomics.store(progress, PROGRESS.step, step?.pickleStepId && p ? p.steps.findIndex((s) => s.id === step.pickleStepId) : -1);
        } else if (e.testCaseFinished) Atomics.store(progress, PROGRESS.running, 0);
        if (isKept(e)) envelopes.push(e);
      },
    );
    const runJson = JSON.stringify(collectRun(envelopes));
    envelopes.length = 0;
    // Cucumber's per-run state (its event collector holds every message of the run) is garbage
    // now; collect it before the next task so the heap, and the process's resident memory, stays
    // at one task's size instead of growing to V8's comfortable high-water mark.
    collectGarbage();
    post({ type: 'done', success, runJson });
  } catch (err) {
    post({ type: 'failed', message: describe(err) });
  }
}

/**
 * The envelopes of a scenario stopped by its time budget in an earlier attempt, as cucumber would
 * have written them had the step failed: the steps before it passed, it failed with the time-out
 * message, the rest were skipped. collectRun turns them into the cell like any other.
 */
function timedOutCase(pickle: Pickle, t: TimedOutScenario): Envelope[] {
  const id = `timed-out-${pickle.id}`;
  const timestamp = { seconds: 0, nanos: 0 };
  const failing = Math.max(0, t.stepIndex);
  const testCase = { id, pickleId: pickle.id, testSteps: pickle.steps.map((s, i) => ({ id: `${id}-${i}`, pickleStepId: s.id, stepDefinitionIds: [], stepMatchArgumentsLists: [] })) };
  const result = (i: number) => ({
    status: i < failing ? TestStepResultStatus.PASSED : i === failing ? TestStepResultStatus.FAILED : TestStepResultStatus.SKIPPED,
    duration: { seconds: i === failing ? Math.floor(t.elapsedMs / 1000) : 0, nanos: i === failing ? (t.elapsedMs % 1000) * 1e6 : 0 },
    ...(i === failing ? { message: t.message, exception: { type: 'TimeoutError', message: t.message } } : {}),
  });
  return [
    { testCase },
    { testCaseStarted: { id, testCaseId: id, attempt: 0, timestamp } },
    ...pickle.steps.map((_, i) => ({ testStepFinished: { testCaseStartedId: id, testStepId: `${id}-${i}`, testStepResult: result(i), timestamp } })),
    { testCaseFinished: { testCaseStartedId: id, willBeRetried: false, timestamp } },
  ] as Envelope[];
}

/** V8's gc(), exposed for this call only (worker threads take no --expose-gc of their own). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

port.on('message', (task: PolicyTask) => void run(task));
void start();
