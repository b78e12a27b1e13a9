/**
 * Messages between the runner (main thread) and its cucumber workers (src/runner/cucumber-worker.ts).
 *
 * A worker loads the support code once, then runs one task at a time: one policy over a selection
 * of scenarios with `runCucumber`. It turns the run's envelopes into cells itself (collectRun) and
 * sends back only those: copying every envelope to the main thread cost more than running the
 * steps. While it runs it sends two small notes, before each scenario and before each step, so
 * the main thread always knows where it is: when a scenario exceeds its time budget, or the user
 * presses Ctrl-C, the main thread terminates the worker (which stops even a policy that loops
 * forever) and still knows the scenario and the step.
 */
import type { IRunConfiguration, ISupportCodeCoordinates, ISourcesCoordinates } from '@cucumber/cucumber/api';
import type { CollectedRun } from '../report/collect';

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
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'case'; readonly uri: string; readonly line: number; readonly name: string }
  | { readonly type: 'step'; readonly index: number; readonly text: string }
  | { readonly type: 'case-done' }
  | { readonly type: 'stderr'; readonly text: string }
  | { readonly type: 'done'; readonly success: boolean; readonly run: CollectedRun }
  | { readonly type: 'failed'; readonly message: string };
