/**
 * The policy matrix: every selected feature under every selected policy, in one process.
 *
 * Composition root in cucumber's own style: configuration and support code are loaded once, then
 * `runCucumber` runs once per policy with `worldParameters.policy` set, and each run's messages are
 * collected. Cucumber's formatters write the per-policy NDJSON/JUnit/HTML into a staging directory;
 * nothing lands in the output directory until every policy has run, so an interrupted or failed run
 * leaves the previous report intact. This function never exits; the CLI maps its result to a code.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import {
  loadConfiguration,
  loadSources,
  loadSupport,
  runCucumber,
  type IRunConfiguration,
  type IRunEnvironment,
  type ISupportCodeLibrary,
} from '@cucumber/cucumber/api';
import { getPolicy, isPolicyId, POLICY_IDS } from '../policies';
import { collectRun, type CollectedRun } from '../report/collect';
import { progressLine, summaryText } from '../report/console';
import { describePolicy, planCoverage } from '../report/coverage';
import { RunFailedError, UsageError } from './errors';
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
import { moveIntoPlace, writeFileAtomic } from './write-atomic';
import { writeReport } from '../report/write-report';

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
  /** Output directory, relative to `env.cwd`. Default `reports`. */
  readonly outDir?: string;
  /** Expected verdicts file, relative to `env.cwd`. Default `reports/expected-verdicts.json`. */
  readonly verdictsPath?: string;
  /** The cucumber profile whose paths and support code to use. Default `default`. */
  readonly profile?: string;
  /** Aborting stops the matrix after the policy that is running; nothing is written. */
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
      /** `missing`: no expected-verdicts file and not --accept. */
      readonly verdicts: 'compared' | 'accepted' | 'missing';
      readonly differences: readonly VerdictDifference[];
    };

export const DEFAULT_OUT_DIR = 'reports';
export const DEFAULT_VERDICTS_PATH = join('reports', 'expected-verdicts.json');
const TRACE_NOTE = `trace attachments: ${TRACE_MEDIA_TYPE} (steps/support After hook)`;

export async function runMatrix(options: MatrixOptions, env: MatrixEnvironment): Promise<MatrixResult> {
  const started = Date.now();
  const policies = selectPolicies(options.policies);
  checkPaths(options.paths ?? [], env.cwd);
  if (options.shard !== undefined) checkShard(options.shard);
  const outDir = resolve(env.cwd, options.outDir ?? DEFAULT_OUT_DIR);
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

  const plan = await loadSources(sources, environment);
  if (plan.errors.length)
    throw new RunFailedError(`The features do not parse:\n${plan.errors.map((e) => `  ${e.uri}:${e.location.line}: ${e.message}`).join('\n')}`);
  if (plan.plan.length === 0 && !options.shard)
    throw new UsageError(
      `No scenarios to run: ${sources.paths.join(', ') || "features/ (cucumber's default paths)"}${options.tags ? ` with tags "${options.tags}"` : ''} select nothing. Check the paths and the tag expression.`,
    );

  const support = await loadSupportOnce(config, environment);
  const staging = join(outDir, `.tmp-run-${process.pid}`);

  const runs: PolicyRun[] = [];
  const timings: Record<string, number> = {};
  const runErrors: string[] = [];
  try {
    await ensureWritable(outDir, staging, env.cwd);
    out(`apspec: ${plan.plan.length} scenario${plan.plan.length === 1 ? '' : 's'} × ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}${options.shard ? ` (shard ${options.shard})` : ''}`);
    for (const id of policies) {
      if (options.signal?.aborted) return { status: 'interrupted', completedPolicies: runs.map((r) => r.policy.id) };
      const t0 = Date.now();
      const { run, success } = await runOnePolicy(id, config, support, staging, options, environment, env.stderr);
      timings[id] = Date.now() - t0;
      runErrors.push(...run.runErrors.map((e) => `${id}: ${e}`));
      if (!success && run.runErrors.length === 0 && run.scenarios.length === 0) runErrors.push(`${id}: cucumber reported a failed run with no scenario results`);
      out(progressLine(id, run, timings[id]));
      const policy = getPolicy(id);
      runs.push({ policy: describePolicy(policy), plan: planCoverage(policy), run });
    }
    // A Ctrl-C during the last policy still means "write nothing partial".
    if (options.signal?.aborted) return { status: 'interrupted', completedPolicies: runs.map((r) => r.policy.id) };
    if (runErrors.length) throw new RunFailedError(`The run failed; the previous report is kept:\n${runErrors.map((e) => `  ${e}`).join('\n')}`);

    const report = buildMatrix(runs);
    await publishStaged(staging, outDir, policies);
    await writeReport({
      report,
      outDir,
      // index.html links the docs/ of the project it was run from, wherever --out put it.
      docsHref: `${relative(outDir, join(env.cwd, 'docs')).split('\\').join('/')}/`,
      runInfo: {
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        policyDurationsMs: timings,
        options: { policies, tags: options.tags ?? null, paths: options.paths ?? null, shard: options.shard ?? null, profile: options.profile ?? 'default' },
        node: process.version,
        note: TRACE_NOTE,
      },
    });
    out(summaryText(report));
    out(`Report: ${shownPath(env.cwd, join(outDir, 'index.html'))} (also policy-matrix.json, policy-matrix.md, <policy>/messages.ndjson, <policy>/junit.xml)`);
    return { status: 'done', report, outDir, ...(await judge(report, verdictsPath, options, env, out)) };
  } finally {
    // Never masks the error that got us here (e.g. an output directory that cannot be written).
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function runOnePolicy(
  id: string,
  config: IRunConfiguration,
  support: ISupportCodeLibrary,
  staging: string,
  options: MatrixOptions,
  environment: IRunEnvironment,
  stderr: Writable,
): Promise<{ run: CollectedRun; success: boolean }> {
  const envelopes: Envelope[] = [];
  const dir = join(staging, id);
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = { [join(dir, 'messages.ndjson')]: 'message', [join(dir, 'junit.xml')]: 'junit' };
  if (options.html) files[join(dir, 'cucumber.html')] = 'html';
  const { success } = await runCucumber(
    {
      ...config,
      support,
      runtime: { ...config.runtime, worldParameters: { ...config.runtime.worldParameters, policy: id } },
      formats: {
        ...config.formats,
        // Our own progress replaces cucumber's stdout formatter, which goes to a sink.
        stdout: 'summary',
        files,
        publish: false,
        options: { ...config.formats.options, junit: { suiteName: `apspec ${id}` } },
      },
    },
    { ...environment, stdout: sink(), stderr },
    (envelope) => envelopes.push(envelope),
  );
  return { run: collectRun(envelopes), success };
}

/** Compare with (or, with --accept, rewrite) the expected verdicts, printing every difference. */
async function judge(report: MatrixReport, verdictsPath: string, options: MatrixOptions, env: MatrixEnvironment, out: (l?: string) => void) {
  const complete = !options.policies?.length && !options.tags && !options.paths?.length && !options.shard;
  const shown = shownPath(env.cwd, verdictsPath);
  const previous = existsSync(verdictsPath) ? parseVerdicts(await readFile(verdictsPath, 'utf8'), shown) : undefined;
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

function checkPaths(paths: readonly string[], cwd: string): void {
  for (const p of paths) {
    const file = p.replace(/(:\d+)+$/, '');
    // Globs are cucumber's business; only a plain path that does not exist is surely a typo.
    if (/[*?{[]/.test(file)) continue;
    if (!existsSync(isAbsolute(file) ? file : join(cwd, file)))
      throw new UsageError(`Feature path "${p}" does not exist (relative to ${cwd}). Give a .feature file or a directory, optionally with :line.`);
  }
}

/** Fail before running anything when the report could not be written (a file in the path, no permission, read-only). */
async function ensureWritable(outDir: string, staging: string, cwd: string): Promise<void> {
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOTDIR' ? 'a part of that path is a file, not a directory'
      : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied'
      : e.code === 'EROFS' ? 'the file system is read-only'
      : e.message;
    throw new RunFailedError(
      `Cannot write the report to ${shownPath(cwd, outDir)}: ${why} (${e.code ?? 'error'}). Nothing was run; the previous report, if any, is untouched. Choose another directory with --out <dir>, or make this one writable.`,
    );
  }
}

function checkShard(shard: string): void {
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    throw new UsageError(`--shard "${shard}" must be i/n with 1 <= i <= n, e.g. --shard 1/3.`);
}

/** Move each policy's cucumber output from staging into `<out>/<policy>/`. */
async function publishStaged(staging: string, outDir: string, policies: readonly string[]): Promise<void> {
  for (const id of policies) {
    const dir = join(staging, id);
    if (!existsSync(dir)) continue;
    for (const name of await readdir(dir)) await moveIntoPlace(join(dir, name), join(outDir, id, name));
  }
}

/**
 * Support code is `require`d, and Node caches modules: a second `loadSupport` for the same files in
 * one process would find no step definitions. So load each support set once per process and reuse
 * it, as cucumber's API docs suggest for repeated runs.
 */
const supportCache = new Map<string, Promise<ISupportCodeLibrary>>();

function loadSupportOnce(config: IRunConfiguration, environment: IRunEnvironment): Promise<ISupportCodeLibrary> {
  const key = JSON.stringify([environment.cwd, config.support]);
  let lib = supportCache.get(key);
  if (!lib) {
    lib = loadSupport({ sources: config.sources, support: config.support }, environment);
    supportCache.set(key, lib);
    lib.catch(() => supportCache.delete(key));
  }
  return lib;
}

/** Relative to the working directory when inside it, else absolute: whichever the user can paste. */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function sink(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
