/**
 * The report's data model: what `policy-matrix.json` holds and every renderer reads.
 *
 * Everything here is derived from cucumber messages plus the trace each scenario attaches; nothing
 * refers to a live simulator, so a report can be rebuilt (or shards merged) from files alone.
 * The JSON must be byte-identical across runs, so these types carry no timestamps, durations or
 * cucumber ids; those go to `run-info.json`.
 */

import type { TraceEvent } from '../sim/trace';
import { SCENARIO_MEDIA_TYPE } from '../contract/scenario-attachment';

/**
 * A cell's verdict: cucumber's scenario status, plus `policy-error` for a broken policy and
 * `not-applicable` for a scenario that cannot exist under the policy (never a failure).
 */
export type CellStatus = 'passed' | 'failed' | 'not-applicable' | 'undefined' | 'skipped' | 'ambiguous' | 'pending' | 'policy-error';

export const CELL_STATUSES: readonly CellStatus[] = ['passed', 'failed', 'not-applicable', 'policy-error', 'undefined', 'ambiguous', 'pending', 'skipped'];

/** The verdicts a reviewer can accept: a policy meets the spec, misses it, or the spec does not apply. */
export const VERDICTS: readonly CellStatus[] = ['passed', 'failed', 'not-applicable'];

/** A step's own status, as cucumber reports it (`unknown`: the run ended before it). */
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'undefined' | 'ambiguous' | 'pending' | 'unknown';

/** One step of a cell: its status and the trace events it caused, in order. */
export interface CellStep {
  readonly status: StepStatus;
  readonly events: readonly TraceEvent[];
}

/** One scenario under one policy. */
export interface Cell {
  readonly status: CellStatus;
  /** Why the cell is `skipped` or `not-applicable`, in a sentence. */
  readonly reason?: string;
  /** The first step (or hook) that did not pass, with its Gherkin keyword: `Then the guest sees 05.0004`. */
  readonly failingStep?: string;
  /** The error message of that step, without a stack trace (stacks hold machine paths). */
  readonly error?: string;
  /**
   * Per step of the row's `steps` (same index), its status and the events it caused; absent when
   * the scenario attached nothing (it never started).
   */
  readonly steps?: readonly CellStep[];
  /**
   * Decision branches this scenario took, `"<point>=<option>:<branch>": count`, keys sorted.
   * Kept per cell (not only aggregated) so merged shards can recompute decision coverage.
   */
  readonly decisions?: Readonly<Record<string, number>>;
  /** Set only when the scenario's host ran the pre-4.20 KVM (no CRYCB without MSAX3). */
  readonly preKvm?: true;
}

export interface ScenarioRow {
  /**
   * `<uri>:<line>` (the scenario's line, or its example row's line): the scenario's identity in
   * every report, in expected-verdicts.json and in URL fragments. Never derived from the name, so
   * two scenarios with one name stay two rows.
   */
  readonly id: string;
  /** The feature file, relative to the working directory (`features/thread/r1.feature`). */
  readonly uri: string;
  /** The feature's name. */
  readonly feature: string;
  readonly featureDescription: string;
  /** The feature's own tags (the scenario's `tags` include them too). */
  readonly featureTags: readonly string[];
  /** Every tag the pickle carries (feature, rule, scenario, examples), in source order. */
  readonly tags: readonly string[];
  readonly name: string;
  /** An outline's example row cells, shown after the name. */
  readonly example?: readonly string[];
  /** The scenario's line, or its example row's line for an outline. */
  readonly line: number;
  /** The scenario's steps with their keywords (background steps first), as cucumber ran them. */
  readonly steps: readonly string[];
  /** Keyed by policy id, in the report's policy order. */
  readonly results: Readonly<Record<string, Cell>>;
}

/** A policy as the report describes it (copied from the registry so reports stand alone). */
export interface PolicyInfo {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly rationale: string;
  /** The policy this one changes (a 2018 candidate on linux-4.20, a patch on a release); none for a kernel. */
  readonly base?: string;
  /** The option each point it names uses (`custom` for a function); unnamed points run 4.20's default. */
  readonly choices: Readonly<Record<string, string>>;
}

export interface BranchCoverage {
  readonly branch: 'accept' | 'reject' | 'taken';
  /** Ids of the scenarios that took this branch at least once, sorted. */
  readonly scenarios: readonly string[];
  /**
   * How many of them did so on Linux 4.20's own KVM. 0 with scenarios non-empty means the branch is
   * reachable only on the pre-4.20 KVM the thread reasoned about (v11's `crycbd : reject`).
   */
  readonly on420Kvm: number;
}

export interface PointCoverage {
  readonly point: string;
  /** The kernel function (or proposal) the point sits in. */
  readonly fn: string;
  readonly option: string;
  /** True when the policy does not name the point and 4.20's option applies. */
  readonly isDefault: boolean;
  readonly branches: readonly BranchCoverage[];
}

export interface PolicyCoverage {
  readonly policy: string;
  readonly points: readonly PointCoverage[];
}

export interface MatrixReport {
  /** Bumped when the shape changes, so `merge` refuses files it does not understand. */
  readonly formatVersion: 2;
  readonly policies: readonly PolicyInfo[];
  /** Sorted: thread requirements first, then by uri, line and id. */
  readonly scenarios: readonly ScenarioRow[];
  readonly coverage: readonly PolicyCoverage[];
}

/** The scenario attachment the steps write in an After hook (src/contract/scenario-attachment.ts). */
export const TRACE_MEDIA_TYPE = SCENARIO_MEDIA_TYPE;

/** Where the requirement features live; their rows come first in every rendering. */
export const THREAD_URI_PREFIX = 'features/thread/';
export const THREAD_TAG = '@thread';
/** The requirements that changed between kernel releases (kernels.md, "History requirements"). */
export const HISTORY_URI_PREFIX = 'features/history/';
export const HISTORY_TAG = '@history';
/** Defects of the kernel as merged: expected to fail under every policy, never counted against one. */
export const FINDINGS_URI_PREFIX = 'features/findings/';
export const FINDING_TAG = '@finding';
