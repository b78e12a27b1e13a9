/**
 * The policy matrix: every selected feature under every selected policy.
 *
 * Composition root in cucumber's own style: the configuration and the plan are loaded here once,
 * then each policy runs with `runCucumber` on a worker thread that loaded the support code once
 * (./pool.ts), several policies at a time. The results are merged in the registry's policy order,
 * so the report is byte-identical to a serial run (--jobs 1). Cucumber's formatters and the report
 * are written into a per-run staging folder and published in one locked step (./publish.ts): an
 * interrupted, failed or concurrent run never leaves a half or mixed report. This function never
 * exits; the CLI maps its result to a code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfiguration, loadSources, type IPlannedPickle, type IRunConfiguration, type IRunEnvironment, type ISourcesCoordinates } from '@cucumber/cucumber/api';
import { checkFeatures, FeatureCheckError, featureProblemsText } from '../lint/check-features';
import { getPolicy, isPolicyId, policyChanges, POLICY_IDS } from '../policies';
import type { CollectedRun } from '../report/collect';
import { progressLine, summaryText } from '../report/console';
import { describePolicy, planCoverage } from '../report/coverage';
import { buildMatrix, type PolicyRun } from '../report/matrix';
import { TRACE_MEDIA_TYPE, type MatrixReport } from '../report/types';
import {
  acceptVerdicts,
  diffVerdicts,
  formatDifference,
  parseVerdicts,
  serializeVerdicts,
  type VerdictDifference,
} from '../report/verdicts';
import { writeReport } from '../report/write-report';
import { RunFailedError, UsageError } from '../common/errors';
import { DEFAULT_TIMEOUT_MS, Interrupted, prewarmWorkers, releaseWorkers, runPolicies, type PolicyOutcome, type PolicySpec } from './pool';
import { makeStaging, publish, removeStale } from './publish';
import { writeFileAtomic } from '../common/write-atomic';

export interface MatrixOptions {
  /** Policy ids, in any order; the report keeps the registry's order. Default: all. */
  readonly policies?: readonly string[];
  /** A cucumber tag expression, and-ed with the profile's. */
  readonly tags?: string;
  /** Feature paths (optionally `:line`) replacing the profile's `paths`. */
  readonly paths?: readonly string[];
  /** cucumber's `shard` option, `i/n` (1-based). */
  readonly shard?: string;
  /** Rewrite the expected verdicts from this run instead of comparing. */
  readonly accept?: boolean;
  /** Also write cucumber's own HTML report per policy. */
  readonly html?: boolean;
  /**
   * Output directory, relative to `env.cwd`. Default `reports` for a full run and
   * `reports/partial` for a partial one (policies, tags, paths or shard given), so a partial run
   * never replaces the full report.
   */
  readonly outDir?: string;
  /** Expected verdicts file, relative to `env.cwd`. Default `reports/expected-verdicts.json`. */
  readonly verdictsPath?: string;
  /** The cucumber profile whose paths and support code to use. Default `default`. */
  readonly profile?: string;
  /** Policies run at once, each on its own worker thread. Default: the machine's available parallelism. */
  readonly jobs?: number;
  /** Time budget of one scenario (every step and policy decision in it), ms. Default 5000. */
  readonly timeoutMs?: number;
  /**
   * Keep the loaded workers for the next runMatrix call in this process (default true: tests and
   * the benchmark call it many times). `npm start` runs once and passes false, so the workers'
   * memory is given back before the report is assembled.
   */
  readonly keepWorkers?: boolean;
  /** Aborting stops every worker at once (even inside a step that never returns); nothing is written. */
  readonly signal?: AbortSignal;
}

/** Cucumber's IRunEnvironment, with every member required: nothing here falls back to `process`. */
export interface MatrixEnvironment {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Record<string, string | undefined>;
}

export type MatrixResult =
  | { readonly status: 'interrupted'; readonly completedPolicies: readonly string[] }
  | {
      readonly status: 'done';
      readonly report: MatrixReport;
      readonly outDir: string;
      /** A selection of the suite (policies, tags, paths or shard): written apart from the full report. */
      readonly partial: boolean;
      /** `missing`: no expected-verdicts file and not --accept. */
      readonly verdicts: 'compared' | 'accepted' | 'missing';
      readonly differences: readonly VerdictDifference[];
      /** Scenarios stopped by their time budget; each is also a failed cell naming the step. */
      readonly timedOut: readonly TimedOutScenario[];
    };

/** A scenario stopped by its time budget, under one policy. */
export interface TimedOutScenario {
  readonly policy: string;
  readonly uri: string;
  readonly line: number;
  readonly scenario: string;
  /** The step that was running, with its keyword, as the cell names it. */
  readonly step: string;
}

export const DEFAULT_OUT_DIR = 'reports';
export const PARTIAL_OUT_DIR = join('reports', 'partial');
export const DEFAULT_VERDICTS_PATH = join('reports', 'expected-verdicts.json');
export { DEFAULT_TIMEOUT_MS };
const TRACE_NOTE = `trace attachments: ${TRACE_MEDIA_TYPE} (steps/support After hook)`;

/** A run of less than every feature under every policy. */
export function isPartial(options: Pick<MatrixOptions, 'policies' | 'tags' | 'paths' | 'shard'>): boolean {
  return !!(options.policies?.length || options.tags || options.paths?.length || options.shard);
}

export async function runMatrix(options: MatrixOptions, env: MatrixEnvironment): Promise<MatrixResult> {
  const started = Date.now();
  const policies = selectPolicies(options.policies);
  checkPoliciesLoad(policies);
  checkPaths(options.paths ?? [], env.cwd);
  if (options.shard !== undefined) checkShard(options.shard);
  const partial = isPartial(options);
  const outDir = resolve(env.cwd, options.outDir ?? (partial ? PARTIAL_OUT_DIR : DEFAULT_OUT_DIR));
  const verdictsPath = resolve(env.cwd, options.verdictsPath ?? DEFAULT_VERDICTS_PATH);
  const out = (line = '') => env.stdout.write(`${line}\n`);
  const environment: IRunEnvironment = { cwd: env.cwd, stdout: env.stdout, stderr: env.stderr, env: env.env };

  const { runConfiguration } = await loadConfiguration(
    {
      profiles: [options.profile ?? 'default'],
      provided: { ...(options.tags ? { tags: options.tags } : {}), ...(options.shard ? { shard: options.shard } : {}) },
    },
    environment,
  );
  // `paths` are additive in cucumber's configuration merge; positional paths must replace them.
  const sources = options.paths?.length ? { ...runConfiguration.sources, paths: [...options.paths] } : runConfiguration.sources;
  const config: IRunConfiguration = { ...runConfiguration, sources };
  const setup = { cwd: env.cwd, env: env.env, sources: config.sources, support: config.support };
  // The workers start loading the support code now, while this thread parses the features.
  prewarmWorkers(setup, Math.min(options.jobs ?? availableParallelism(), policies.length));

  const plan = await loadSources(sources, environment);
  if (plan.errors.length)
    throw new RunFailedError(`The features do not parse:\n${plan.errors.map((e) => `  ${e.uri}:${e.location.line}: ${e.message}`).join('\n')}`);
  // Before any scenario: what Gherkin accepted but silently dropped (a misspelled keyword, two
  // scenarios with one name). Steps outside the vocabulary need the step definitions, which the
  // workers load: they come back as "undefined" cells, named with file:line and suggestions.
  const dropped = checkFeatures([...new Set(plan.plan.map((p) => p.uri))], env.cwd).filter((p) => p.kind === 'silent-drop');
  if (dropped.length) throw new FeatureCheckError(featureProblemsText(dropped));
  if (plan.plan.length === 0 && !options.shard)
    throw new UsageError(
      `No scenarios to run: ${sources.paths.join(', ') || "features/ (cucumber's default paths)"}${options.tags ? ` with tags "${options.tags}"` : ''} select nothing. Check the paths and the tag expression.`,
    );

  await removeStale(outDir).catch(() => undefined);
  const staging = await makeStagingOrExplain(outDir, env.cwd);
  const chunks = chunkPlan(plan.plan, sources, CHUNK_SCENARIOS);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), policies.length * chunks.length));
  // Each task's cells wait on disk in the staging folder until every task is done: memory holds
  // the tasks running now, not the run's history.
  const done = new Map<string, { file: string; outcome: Omit<PolicyOutcome, 'runJson'> }>();
  const cellsDir = join(staging, '.cells');
  try {
    out(
      `apspec: ${plan.plan.length} scenario${plan.plan.length === 1 ? '' : 's'} × ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}` +
        `${options.shard ? ` (shard ${options.shard})` : ''}, ${jobs} at a time`,
    );
    if (partial) out(`Partial run: the report goes to ${shownPath(env.cwd, outDir)}/${options.outDir ? '' : `; the full report in ${DEFAULT_OUT_DIR}/ is kept`}.`);
    await mkdir(cellsDir, { recursive: true });
    const specs: PolicySpec[] = [];
    for (const id of policies) {
      const dir = join(staging, id);
      await mkdir(dir, { recursive: true });
      chunks.forEach((chunk, k) =>
        specs.push({ policy: id, part: chunks.length > 1 ? k + 1 : undefined, config: { ...config, sources: chunk.sources }, scenarios: chunk.scenarios, dir, html: options.html ?? false }),
      );
    }
    try {
      await runPolicies(
        specs,
        {
          setup,
          jobs,
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          ...(options.signal ? { signal: options.signal } : {}),
          stderr: env.stderr,
        },
        async ({ runJson, ...outcome }) => {
          const key = taskKey(outcome.policy, outcome.part);
          const file = join(cellsDir, `${policies.indexOf(outcome.policy)}-${outcome.part ?? 1}.json`);
          await writeFile(file, runJson);
          done.set(key, { file, outcome });
          out(progressLine(outcome.part ? `${outcome.policy} ${outcome.part}/${chunks.length}` : outcome.policy, JSON.parse(runJson) as CollectedRun, outcome.ms));
        },
      );
    } catch (err) {
      if (options.keepWorkers === false) await releaseWorkers();
      if (err instanceof Interrupted)
        return { status: 'interrupted', completedPolicies: policies.filter((id) => chunks.every((_, k) => done.has(taskKey(id, chunks.length > 1 ? k + 1 : undefined)))) };
      throw err;
    }
    if (options.keepWorkers === false) await releaseWorkers();
    // Merged in the registry's order, whatever order the workers finished in: byte-identical to --jobs 1.
    const runs: PolicyRun[] = [];
    const runErrors: string[] = [];
    const timings: Record<string, number> = {};
    const timedOut: TimedOutScenario[] = [];
    const reviveCell = internTraceEvents();
    for (const id of policies) {
      const run: CollectedRun = { scenarios: [], runErrors: [] };
      timings[id] = 0;
      let success = true;
      for (let k = 0; k < chunks.length; k++) {
        const { file, outcome: o } = done.get(taskKey(id, chunks.length > 1 ? k + 1 : undefined))!;
        const part = JSON.parse(await readFile(file, 'utf8'), reviveCell) as CollectedRun;
        run.scenarios.push(...part.scenarios);
        run.runErrors.push(...part.runErrors);
        timings[id] += o.ms;
        // Named from their cells, which the resumed worker wrote: the row's name and failing step.
        for (const t of o.timedOut) {
          const row = part.scenarios.find((sc) => sc.uri === t.uri && sc.line === t.line);
          timedOut.push({ policy: id, uri: t.uri, line: t.line, scenario: row?.name ?? '?', step: row?.cell.failingStep ?? (t.stepIndex < 0 ? 'a hook' : `step ${t.stepIndex + 1}`) });
        }
        if (o.error) runErrors.push(`${id}: ${o.error}`);
        success &&= o.success;
      }
      runErrors.push(...run.runErrors.map((e) => `${id}: ${e}`));
      if (!success && run.runErrors.length === 0 && run.scenarios.length === 0) runErrors.push(`${id}: cucumber reported a failed run with no scenario results`);
      const policy = getPolicy(id);
      // Against its base: the report lists what the policy itself chooses, and marks the rest inherited.
      const changes = policyChanges(id);
      runs.push({ policy: describePolicy(policy, changes), plan: planCoverage(policy, changes), run });
    }
    await rm(cellsDir, { recursive: true, force: true });
    if (options.signal?.aborted) return { status: 'interrupted', completedPolicies: policies };
    if (runErrors.length) throw new RunFailedError(`The run failed; the previous report is kept:\n${[...new Set(runErrors)].map((e) => `  ${e}`).join('\n')}`);

    const report = buildMatrix(runs);
    runs.length = 0; // the report holds what it needs; the collected runs can go before rendering
    await writeReport({
      report,
      outDir: staging,
      // index.html links the docs/ of the project it was run from, wherever --out put it.
      docsHref: `${relative(outDir, join(env.cwd, 'docs')).split('\\').join('/')}/`,
      ...(partial
        ? { notice: `Partial run (${partialWhat(options)}): not every feature under every policy.${options.outDir ? '' : ` The full report of the last complete run is in ${DEFAULT_OUT_DIR}/.`}` }
        : {}),
      runInfo: {
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        policyDurationsMs: timings,
        jobs,
        partial,
        options: { policies, tags: options.tags ?? null, paths: options.paths ?? null, shard: options.shard ?? null, profile: options.profile ?? 'default' },
        timedOut,
        node: process.version,
        note: TRACE_NOTE,
      },
    });
    await publish(staging, outDir);
    // Never-exercised branches are news only when every feature ran under every policy.
    out(summaryText(report, { complete: !partial }));
    out(`Report: ${shownPath(env.cwd, join(outDir, 'index.html'))} (also policy-matrix.txt, policy-matrix.json, policy-matrix.md, <policy>/messages.ndjson, <policy>/junit.xml)`);
    return { status: 'done', report, outDir, partial, timedOut, ...(await judge(report, verdictsPath, options, env, out)) };
  } finally {
    // Never masks the error that got us here (e.g. an output directory that cannot be written).
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Scenarios per cucumber run. A policy over a larger selection runs in parts of this size: cucumber
 * keeps every message of a run until it ends (its formatters' event collector), so the part size,
 * not the suite size, bounds a worker's memory. Each part writes its own <policy>/messages-part-<k>.ndjson
 * and junit-part-<k>.xml. Today's suite fits in one part, which keeps cucumber's own shard semantics.
 */
export const CHUNK_SCENARIOS = 250;

function taskKey(policy: string, part: number | undefined): string {
  return `${policy}#${part ?? 1}`;
}

/** The selection as the sources of each part, with its scenarios (file:line; shard and tags already applied). */
export function chunkPlan(plan: readonly IPlannedPickle[], sources: ISourcesCoordinates, size: number): { sources: ISourcesCoordinates; scenarios: { uri: string; line: number }[] }[] {
  const scenarios = plan.map((p) => ({ uri: p.uri, line: p.location.line }));
  if (plan.length <= size) return [{ sources, scenarios }];
  const parts: { sources: ISourcesCoordinates; scenarios: { uri: string; line: number }[] }[] = [];
  for (let i = 0; i < scenarios.length; i += size) {
    const slice = scenarios.slice(i, i + size);
    const lines = new Map<string, number[]>();
    for (const p of slice) lines.set(p.uri, [...(lines.get(p.uri) ?? []), p.line]);
    parts.push({ sources: { ...sources, paths: [...lines].map(([uri, ls]) => `${uri}:${ls.join(':')}`), shard: undefined } as ISourcesCoordinates, scenarios: slice });
  }
  return parts;
}

/** Fail before running anything when the report could not be written (a file in the path, no permission, read-only). */
async function makeStagingOrExplain(outDir: string, cwd: string): Promise<string> {
  try {
    return await makeStaging(outDir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOTDIR' ? 'a part of that path is a file, not a directory'
      : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied'
      : e.code === 'EROFS' ? 'the file system is read-only'
      : e.code === 'ENOSPC' ? 'the disk is full'
      : e.message;
    throw new RunFailedError(
      `Cannot write the report to ${shownPath(cwd, outDir)}: ${why} (${e.code ?? 'error'}). Nothing was run; the previous report, if any, is untouched. Choose another directory with --out <dir>, or make this one writable.`,
    );
  }
}

/** Compare with (or, with --accept, rewrite) the expected verdicts, printing every difference. */
async function judge(report: MatrixReport, verdictsPath: string, options: MatrixOptions, env: MatrixEnvironment, out: (l?: string) => void) {
  const complete = !options.policies?.length && !options.tags && !options.paths?.length && !options.shard;
  const shown = shownPath(env.cwd, verdictsPath);
  // A complete --accept replaces the file, so a corrupt one is no obstacle to the advice it gives.
  const previous = !existsSync(verdictsPath)
    ? undefined
    : options.accept && complete
      ? (() => {
          try {
            return parseVerdicts(readFileSync(verdictsPath, 'utf8'), shown);
          } catch {
            return undefined;
          }
        })()
      : parseVerdicts(await readFile(verdictsPath, 'utf8'), shown);
  if (options.accept) {
    await writeFileAtomic(verdictsPath, serializeVerdicts(acceptVerdicts(previous, report, { complete })));
    out(`Accepted: ${shown} now holds this run's verdicts${complete ? '' : ' (cells not run were kept)'}. Commit it.`);
    return { verdicts: 'accepted' as const, differences: [] };
  }
  if (!previous) {
    out(`No expected verdicts at ${shown}. Review the report, then record them with: npm start -- --accept`);
    return { verdicts: 'missing' as const, differences: [] };
  }
  const differences = diffVerdicts(previous, report, { complete });
  const changed = differences.filter((d) => d.kind === 'changed');
  const other = differences.filter((d) => d.kind !== 'changed');
  if (changed.length) {
    out(`${changed.length} verdict${changed.length === 1 ? ' differs' : 's differ'} from ${shown}:`);
    for (const d of changed) out(`  ${formatDifference(d)}`);
  }
  if (other.length) {
    out(`${other.length} cell${other.length === 1 ? '' : 's'} without a matching expectation in ${shown} (not a failure):`);
    for (const d of other) out(`  ${formatDifference(d)}`);
  }
  if (differences.length) out('If the new verdicts are right, record them with: npm start -- --accept');
  else out(`All verdicts match ${shown}.`);
  return { verdicts: 'compared' as const, differences };
}

function selectPolicies(requested: readonly string[] | undefined): string[] {
  if (!requested?.length) return [...POLICY_IDS];
  const unknown = requested.filter((id) => !isPolicyId(id));
  if (unknown.length)
    throw new UsageError(
      `Unknown polic${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((u) => `"${u}"`).join(', ')}. Known policies: ${POLICY_IDS.join(', ')}. A policy is a file in src/policies/ registered in src/policies/index.ts.`,
    );
  // Registry order, duplicates dropped: the columns read in the thread's chronology.
  return POLICY_IDS.filter((id) => requested.includes(id));
}

/** A selected policy whose file does not load (or whose id or base is wrong) fails the run before it starts, with its paragraph. */
function checkPoliciesLoad(policies: readonly string[]): void {
  for (const id of policies) getPolicy(id); // throws PolicyLoadError naming the file
}

function checkPaths(paths: readonly string[], cwd: string): void {
  for (const p of paths) {
    const file = p.replace(/(:\d+)+$/, '');
    // Globs are cucumber's business; only a plain path that does not exist is surely a typo.
    if (/[*?{[]/.test(file)) continue;
    if (!existsSync(isAbsolute(file) ? file : join(cwd, file)))
      throw new UsageError(`Feature path "${p}" does not exist (relative to ${cwd}). Give a .feature file or a directory, optionally with :line.`);
  }
}

function checkShard(shard: string): void {
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    throw new UsageError(`--shard "${shard}" must be i/n with 1 <= i <= n, e.g. --shard 1/3.`);
}

/** Relative to the working directory when inside it, else absolute: whichever the user can paste. */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** What made a run partial, for the notice at the top of its index.html. */
function partialWhat(options: MatrixOptions): string {
  const parts: string[] = [];
  if (options.policies?.length) parts.push(`policies ${options.policies.join(', ')}`);
  if (options.tags) parts.push(`tags ${options.tags}`);
  if (options.paths?.length) parts.push(`features ${options.paths.join(', ')}`);
  if (options.shard) parts.push(`shard ${options.shard}`);
  return parts.join('; ') || 'a selection';
}

/**
 * A JSON.parse reviver that keeps one object per distinct trace event across the whole run. The
 * main thread holds every cell's story until the report is written, and most events repeat from
 * cell to cell (every scenario boots the same host; eleven policies replay the same steps): sharing
 * them keeps resident memory from growing with each copy. Events are never mutated after collection.
 */
function internTraceEvents(): (key: string, value: unknown) => unknown {
  const seen = new Map<string, unknown>();
  return (_key, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const e = value as Record<string, unknown>;
    if (typeof e.type !== 'string' || typeof e.fn !== 'string' || typeof e.layer !== 'string') return value;
    const id = `${e.type}\u0000${e.layer}\u0000${e.fn}\u0000${String(e.detail)}\u0000${String(e.outcome)}\u0000${String(e.point ?? '')}\u0000${String(e.option ?? '')}\u0000${String(e.branch ?? '')}\u0000${String(e.vm ?? '')}`;
    const known = seen.get(id);
    if (known !== undefined && Object.keys(e).length === Object.keys(known as object).length) return known;
    if (known === undefined) seen.set(id, value);
    return value;
  };
}
