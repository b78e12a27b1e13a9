/**
 * A cucumber worker thread (started by src/runner/pool.ts through cucumber-worker.cjs): loads the
 * support code once with cucumber's `loadSupport`, then runs each task it is sent with
 * `runCucumber`, forwarding envelopes to the main thread (protocol: ./worker-protocol.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { loadSupport, runCucumber, type IRunEnvironment, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { isForwarded, type PolicyTask, type WorkerMessage, type WorkerSetup } from './worker-protocol';

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

async function run(task: PolicyTask): Promise<void> {
  let batch: Envelope[] = [];
  const flush = () => {
    if (batch.length) post({ type: 'envelopes', envelopes: batch });
    batch = [];
  };
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
      (envelope) => {
        if (!isForwarded(envelope)) return;
        batch.push(envelope);
        // Sent before the step runs: if it never returns, the main thread knows where it hangs.
        if (envelope.testStepStarted || envelope.testCaseFinished || batch.length >= 256) flush();
      },
    );
    flush();
    // Cucumber's per-run state (its event collector holds every message of the run) is garbage
    // now; collect it before the next task so the heap, and the process's resident memory, stays
    // at one task's size instead of growing to V8's comfortable high-water mark.
    collectGarbage();
    post({ type: 'done', success });
  } catch (err) {
    flush();
    post({ type: 'failed', message: describe(err) });
  }
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
