/**
 * Messages between the runner (main thread) and its cucumber workers (src/runner/cucumber-worker.ts).
 *
 * A worker loads the support code once, then runs one task at a time: one policy over the selected
 * scenarios with `runCucumber`. It forwards the envelopes the report needs, in batches sent before
 * each test step starts, so the main thread always knows which step is running: when a scenario
 * exceeds its time budget or the user presses Ctrl-C, the main thread terminates the worker (which
 * stops even a policy that loops forever) and still knows the scenario and the step.
 */
import type { Envelope } from '@cucumber/messages';
import type { IRunConfiguration, ISupportCodeCoordinates, ISourcesCoordinates } from '@cucumber/cucumber/api';

export interface WorkerSetup {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** What `loadSupport` needs; loaded once per worker. */
  readonly sources: ISourcesCoordinates;
  readonly support: Partial<ISupportCodeCoordinates>;
}

export interface PolicyTask {
  readonly type: 'task';
  readonly policy: string;
  /** The run configuration (sources possibly narrowed to the scenarios left after a time-out). */
  readonly config: IRunConfiguration;
  /** Cucumber's file formatters: absolute path -> formatter name. */
  readonly files: Readonly<Record<string, string>>;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'envelopes'; readonly envelopes: readonly Envelope[] }
  | { readonly type: 'stderr'; readonly text: string }
  | { readonly type: 'done'; readonly success: boolean }
  | { readonly type: 'failed'; readonly message: string };

/**
 * The envelopes the report reads (src/report/collect.ts), plus testStepStarted for the watchdog.
 * Sources, meta, step definitions and run hooks stay in the worker: they are most of the bytes.
 */
export function isForwarded(e: Envelope): boolean {
  return !!(
    e.gherkinDocument ||
    e.pickle ||
    e.testCase ||
    e.hook ||
    e.suggestion ||
    e.testCaseStarted ||
    e.testStepStarted ||
    e.testStepFinished ||
    e.attachment ||
    e.testCaseFinished ||
    e.parseError ||
    e.testRunFinished
  );
}
