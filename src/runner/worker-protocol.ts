/**
 * Messages between the runner (main thread) and its cucumber workers (src/runner/cucumber-worker.ts).
 *
 * A worker loads the support code once, then runs one task at a time: one policy over a selection
 * of scenarios with `runCucumber`. It turns the run's envelopes into cells itself (collectRun) and
 * sends back only those: copying every envelope to the main thread cost more than running the
 * steps. While it runs it writes where it is into memory shared with the main thread (which
 * scenario, which step: a few integers, no message), so the main thread always knows: when a
 * scenario exceeds its time budget, or the user presses Ctrl-C, it terminates the worker (which
 * stops even a policy that loops forever) and still knows the scenario and the step.
 */
import type { IRunConfiguration, ISupportCodeCoordinates, ISourcesCoordinates } from '@cucumber/cucumber/api';

export interface WorkerSetup {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** What `loadSupport` needs; loaded once per worker. */
  readonly sources: ISourcesCoordinates;
  readonly support: Partial<ISupportCodeCoordinates>;
}

/** A scenario stopped by its time budget in an earlier attempt: the worker writes its cell. */
export interface TimedOutScenario {
  readonly uri: string;
  readonly line: number;
  /** Index of the running step among the scenario's steps (-1: a hook before the first step). */
  readonly stepIndex: number;
  readonly message: string;
  readonly elapsedMs: number;
}

export interface PolicyTask {
  readonly type: 'task';
  readonly policy: string;
  /** The run configuration (sources possibly narrowed to the scenarios left after a time-out). */
  readonly config: IRunConfiguration;
  /** Cucumber's file formatters: absolute path -> formatter name. */
  readonly files: Readonly<Record<string, string>>;
  /** Scenarios that timed out in earlier attempts of this task, not run again. */
  readonly timedOut: readonly TimedOutScenario[];
  /** The scenarios of the task (file and line), which PROGRESS.scenario indexes. */
  readonly scenarios: readonly { readonly uri: string; readonly line: number }[];
  /** Int32Array over this buffer, indexed by PROGRESS: written by the worker, read by the watchdog. */
  readonly progress: SharedArrayBuffer;
}

/** Slots of the shared progress array. */
export const PROGRESS = {
  /** Incremented as each scenario starts: a change tells the watchdog a new scenario began. */
  started: 0,
  /** 1 while a scenario runs, 0 between scenarios. */
  running: 1,
  /** Index into PolicyTask.scenarios of the running scenario (-1: not in the list). */
  scenario: 2,
  /** Index of the running step among the scenario's steps (-1: a hook). */
  step: 3,
} as const;
export const PROGRESS_SLOTS = 4;

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'stderr'; readonly text: string }
  /** The cells as CollectedRun JSON: a string crosses threads far cheaper than the object graph. */
  | { readonly type: 'done'; readonly success: boolean; readonly runJson: string }
  | { readonly type: 'failed'; readonly message: string };
