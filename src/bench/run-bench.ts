/**
 * `npm run bench`: apspec against Cucumber's own floor, in one invocation, side by side, with every
 * target of the performance issue judged from the same run.
 *
 * Rows (each: warm-up, then `runs` timed runs; median and min-max):
 *  - floor / apspec (in-process): runMatrix, as `npm start` runs it, in a child process that loads
 *    the support code once in each worker thread and repeats.
 *  - floor / apspec (process): `node -r tsx/cjs src/cli/main.ts run` (what `npm start` runs), start
 *    to exit; the floor also with `--jobs 1`, the single-process floor the parallel run is held to.
 *  - stock floor: the floor under plain cucumber-js + ts-node (swc), `npx cucumber-js -p <policy>`
 *    once per policy, start to exit, summed.
 *  - one-feature loop: `npx cucumber-js features/thread/<one>.feature -p v11`, start to exit.
 *  - simulator ops/s (src/bench/sim-ops.ts) and the explorer (src/explore/bench.ts), every policy.
 *  - scale: `npm start` on the suite copied 1x, 4x and 16x and at 10,000 cells: time and peak
 *    resident memory (ru_maxrss through src/bench/maxrss.cjs).
 *  - npm test: the whole test command on this checkout, once, with the machine's load beside it.
 * The policies are the registry's (src/policies). The floor suite and the copies are generated
 * into os.tmpdir() and removed afterwards; so are all reports.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { POLICY_IDS } from '../policies';
import { writeFileAtomic } from '../common/write-atomic';
import { writeFloorSuite } from './floor';
import { RESULT_PREFIX, type WorkerResult } from './matrix-worker';
import { repeatSpawn, stats, timeSpawn, type Stats } from './measure';
import { countShape, listFeatures } from './shape';
import { measureSimOps } from './sim-ops';
import { measureSimulatorOps } from '../explore/bench';
import { writeScaledSuite } from './scale';
import { formatReport } from './table';

export const ROW_GROUPS = ['inprocess', 'process', 'stock', 'loop', 'sim', 'explorer', 'scale', 'npmtest'] as const;
export type RowGroup = (typeof ROW_GROUPS)[number];

export interface BenchOptions {
  readonly runs: number;
  readonly warmup: number;
  /** Explorer search depth (the target is stated for 6). */
  readonly depth: number;
  readonly only?: readonly RowGroup[];
  /** Where to write the JSON, relative to cwd. */
  readonly out: string;
  readonly signal?: AbortSignal;
}

export interface BenchEnvironment {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Record<string, string | undefined>;
}

export interface Row {
  readonly id: string;
  readonly label: string;
  /** How it was measured, one line. */
  readonly how: string;
  readonly unit: 'ms' | 'ops/s' | 'MB';
  readonly stats: Stats;
  readonly note?: string;
}

export interface Target {
  readonly what: string;
  readonly limit: string;
  /** The median, or the ratio of medians. */
  readonly value: string;
  /** min and max: of the row's samples, or for a ratio each sample of the first row over the second row's median. */
  readonly range: string;
  /** null: not measured, or (`limit` "reported") nothing to meet. */
  readonly met: boolean | null;
}

export interface BenchReport {
  readonly version: 1;
  readonly date: string;
  readonly machine: {
    readonly nproc: number;
    readonly cpu: string;
    readonly node: string;
    readonly platform: string;
    /** os.loadavg() (1, 5, 15 min) when the bench started and when it ended: the machine is shared. */
    readonly loadAtStart: readonly number[];
    readonly loadAtEnd: readonly number[];
  };
  readonly command: string;
  readonly options: { readonly runs: number; readonly warmup: number; readonly depth: number };
  readonly suite: { readonly features: number; readonly scenarios: number; readonly steps: number; readonly stepDefinitions: number; readonly policies: number };
  readonly rows: readonly Row[];
  readonly ratios: Record<string, number | null>;
  readonly targets: readonly Target[];
  readonly explorer: unknown;
  readonly scale: readonly ScalePoint[];
}

export interface ScalePoint {
  readonly label: string;
  readonly copies: number;
  readonly scenarios: number;
  readonly cells: number;
  readonly ms: number;
  readonly peakMb: number;
  readonly exitCode: number | null;
}

const TSX = ['-r', 'tsx/cjs'];
const MAXRSS_PREFIX = 'apspec-bench-maxrss-kb ';
/** The cell count the memory target is stated for. */
const TARGET_CELLS = 10_000;

export async function runBench(options: BenchOptions, env: BenchEnvironment): Promise<BenchReport> {
  const root = env.cwd;
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const log = (line: string) => env.stderr.write(`bench: ${line}\n`);
  const want = (g: RowGroup) => !options.only?.length || options.only.includes(g);
  const childEnv = { ...env.env, APSPEC_NO_SHIM: undefined, FORCE_COLOR: '0' };

  const shape = countShape(root);
  const stepDefinitions = await countStepDefinitions(root, env);
  log(`suite: ${shape.features.length} features, ${shape.scenarios} scenarios, ${shape.steps} steps, ${stepDefinitions} step definitions, ${POLICY_IDS.length} policies`);
  const floor = writeFloorSuite({ root, shape, stepDefinitions, policies: POLICY_IDS });
  const scratch = mkdtempSync(join(tmpdir(), 'apspec-bench-out-'));
  const rows: Row[] = [];
  let explorer: unknown = null;
  const scale: ScalePoint[] = [];
  const add = (row: Row) => {
    rows.push(row);
    log(`${row.label}: median ${fmt(row.stats.median, row.unit)} (${fmt(row.stats.min, row.unit)}-${fmt(row.stats.max, row.unit)})`);
  };
  const { runs, warmup } = options;

  try {
    if (want('inprocess')) {
      const worker = async (cwd: string, extraEnv: Record<string, string>, abShim = false) => {
        const r = await timeSpawn(process.execPath, [...TSX, join(root, 'src/bench/matrix-worker.ts'), JSON.stringify({ cwd, warmup: Math.max(1, warmup), runs, abShim })], {
          cwd: root,
          env: { ...childEnv, ...extraEnv },
          signal: options.signal,
        });
        const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
        if (r.code !== 0 || !line) throw new Error(`matrix worker for ${cwd} failed (exit ${r.code}):\n${r.stderr.split('\n').slice(-20).join('\n')}`);
        return JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerResult;
      };
      log('floor, in-process matrix ...');
      const f = await worker(floor.dir, {});
      add({ id: 'floor', label: 'floor (in-process matrix)', how: 'runMatrix in one process (its worker threads load the support code once each); trivial steps', unit: 'ms', stats: stats(f.ms), note: `first run ${Math.round(f.firstMs)} ms` });
      log('apspec, in-process matrix, runs alternating with and without the shim ...');
      const a = await worker(root, {}, true);
      add({ id: 'apspec', label: 'apspec (in-process matrix)', how: 'runMatrix in one process (its worker threads load the support code once each); reports to a temp dir', unit: 'ms', stats: stats(a.ms), note: `first run ${Math.round(a.firstMs)} ms; ${a.scenarios} scenarios x ${a.policies} policies` });
      if (a.msNoShim)
        add({ id: 'apspec-no-shim', label: 'apspec without the shim', how: 'the same process, every other run with cucumber-expressions\' original match (the regexp-match-indices polyfill), as APSPEC_NO_SHIM=1 gives', unit: 'ms', stats: stats(a.msNoShim) });
    }

    if (want('process')) {
      const cli = (cwd: string, extraEnv: Record<string, string> = {}, extraArgs: string[] = []) => () =>
        timeSpawn(process.execPath, [...TSX, join(root, 'src/cli/main.ts'), 'run', ...extraArgs, '--out', mkdtempSync(join(scratch, 'r-'))], {
          cwd,
          env: { ...childEnv, ...extraEnv },
          signal: options.signal,
        });
      // Exit 1 = a verdict differs from reports/expected-verdicts.json: still a complete run.
      log('floor, process start to exit ...');
      add({ id: 'floor-process', label: 'floor (process)', how: '`node -r tsx/cjs src/cli/main.ts run` in the floor suite, start to exit (workers as npm start)', unit: 'ms', stats: stats(await repeatSpawn('floor run', [0, 1], warmup, runs, cli(floor.dir))) });
      log('floor, one worker (--jobs 1), process start to exit ...');
      add({ id: 'floor-process-serial', label: 'floor (single process, --jobs 1)', how: 'the same with `--jobs 1`: one worker, the policies one after another', unit: 'ms', stats: stats(await repeatSpawn('floor run --jobs 1', [0, 1], warmup, runs, cli(floor.dir, {}, ['--jobs', '1']))) });
      log('apspec, process start to exit ...');
      add({ id: 'apspec-process', label: 'apspec (process, = npm start)', how: '`node -r tsx/cjs src/cli/main.ts run` (what `npm start` runs), start to exit', unit: 'ms', stats: stats(await repeatSpawn('apspec run', [0, 1], warmup, runs, cli(root))) });
    }

    if (want('stock')) {
      log('stock floor: npx cucumber-js per policy ...');
      const allPolicies = async () => {
        let ms = 0;
        for (const p of POLICY_IDS) {
          const r = await timeSpawn('npx', ['cucumber-js', '--config', floor.stockConfig, '-p', p], { cwd: floor.dir, env: childEnv, signal: options.signal });
          if (r.code !== 0) return r;
          ms += r.ms;
        }
        return { ms, code: 0, stdout: '', stderr: '' };
      };
      add({ id: 'stock-floor', label: 'stock floor (plain cucumber-js)', how: `${POLICY_IDS.length} x \`npx cucumber-js -p <policy>\`, ts-node/register with swc (tsconfig "ts-node": { "swc": true }), no shims; summed`, unit: 'ms', stats: stats(await repeatSpawn('stock floor', [0], warmup, runs, allPolicies)) });
      add({ id: 'npx', label: 'npx cucumber-js --version', how: '`npx cucumber-js --version`: npx plus cucumber-js start-up, paid by every npx cucumber-js invocation above', unit: 'ms', stats: stats(await repeatSpawn('npx', [0], warmup, runs, () => timeSpawn('npx', ['cucumber-js', '--version'], { cwd: root, env: childEnv, signal: options.signal }))) });
    }

    if (want('loop')) {
      const feature = listFeatures(join(root, 'features', 'thread'))[0];
      if (feature) {
        const rel = feature.slice(root.length + 1);
        log(`one-feature loop: npx cucumber-js ${rel} -p v11 ...`);
        add({ id: 'one-feature', label: 'one-feature loop', how: `\`npx cucumber-js ${rel} -p v11\`, start to exit`, unit: 'ms', stats: stats(await repeatSpawn('one-feature loop', [0], warmup, runs, () => timeSpawn('npx', ['cucumber-js', rel, '-p', 'v11'], { cwd: root, env: childEnv, signal: options.signal }))) });
        // The loader choice, measured on the same loop: apspec's own steps under ts-node in swc
        // transpile-only mode (set in a tsconfig: TS_NODE_SWC does nothing) instead of tsx. Both
        // must exit 0 (R1 passes under v11), so a loader that fails to load is not timed as fast.
        // cucumber resolves --config against the working directory, hence the relative path.
        const tsNode = writeTsNodeConfig(root, scratch);
        log(`one-feature loop under ts-node + swc ...`);
        add({ id: 'one-feature-ts-node', label: 'one-feature loop, ts-node + swc', how: `the same, with requireModule ts-node/register (swc, transpile-only) instead of tsx/cjs`, unit: 'ms', stats: stats(await repeatSpawn('one-feature loop (ts-node)', [0], warmup, runs, () => timeSpawn('npx', ['cucumber-js', rel, '--config', relative(root, tsNode.config)], { cwd: root, env: { ...childEnv, TS_NODE_PROJECT: tsNode.tsconfig }, signal: options.signal }))) });
      }
    }

    if (want('sim')) {
      // The issue's target is the explorer's hot path: API calls on one System with the trace off.
      // The scenario replay (a fresh System per scenario, host boot, trace on) is what a cucumber
      // step pays, shown beside it.
      log('simulator alone: explorer hot path ...');
      const hot: number[] = [];
      for (let i = 0; i < warmup + runs; i++) {
        const r = measureSimulatorOps({ policy: 'v11', ops: 1_000_000 });
        if (i >= warmup) hot.push(r.opsPerSec);
      }
      add({ id: 'sim', label: 'simulator alone (hot path)', how: 'the explorer\'s state-changing API calls (assign/unassign, open/close, APIE off/on, TAPQ) on one System, trace off, 1,000,000 calls (src/explore/bench.ts measureSimulatorOps)', unit: 'ops/s', stats: stats(hot) });
      log('simulator alone: scenario replay ...');
      const s = measureSimOps({ rounds: runs, warmup });
      add({ id: 'sim-replay', label: 'simulator, scenario replay', how: `thread scenarios R1-R5 replayed through createSystem under every policy (${s.opsPerReplay} ops a pass; a fresh System and host boot per scenario, trace on), no Cucumber`, unit: 'ops/s', stats: stats(s.opsPerSecond) });
    }

    if (want('explorer')) explorer = await runExplorer(root, options, log, add);

    if (want('scale')) {
      const cellsAt1x = shape.scenarios * POLICY_IDS.length;
      const points: [string, number][] = [
        ['1x', 1],
        ['4x', 4],
        [`${TARGET_CELLS.toLocaleString('en-US')} cells`, Math.ceil(TARGET_CELLS / Math.max(1, cellsAt1x))],
        ['16x', 16],
      ];
      for (const [label, copies] of points) {
        if (options.signal?.aborted) break;
        log(`scale ${label}: npm start on ${copies} cop${copies === 1 ? 'y' : 'ies'} of the features (${(cellsAt1x * copies).toLocaleString('en-US')} cells) ...`);
        const suite = writeScaledSuite(root, copies);
        try {
          const r = await timeSpawn(process.execPath, ['-r', join(root, 'src/bench/maxrss.cjs'), ...TSX, join(root, 'src/cli/main.ts'), 'run', '--out', mkdtempSync(join(scratch, 's-'))], {
            cwd: suite.dir,
            env: childEnv,
            signal: options.signal,
          });
          const kb = Number(r.stderr.split('\n').find((l) => l.startsWith(MAXRSS_PREFIX))?.slice(MAXRSS_PREFIX.length));
          if (r.code !== 0 && r.code !== 1) throw new Error(`scale ${label} exited with ${r.code}:\n${r.stderr.split('\n').slice(-15).join('\n')}`);
          scale.push({ label, copies, scenarios: shape.scenarios * copies, cells: cellsAt1x * copies, ms: r.ms, peakMb: kb / 1024, exitCode: r.code });
          log(`scale ${label}: ${fmt(r.ms, 'ms')}, peak ${Math.round(kb / 1024)} MB`);
        } finally {
          suite.remove();
        }
      }
      for (const p of scale) {
        add({ id: `scale-${p.copies}x-ms`, label: `npm start, suite ${p.label} (${p.cells.toLocaleString('en-US')} cells): time`, how: `\`npm start\` on ${p.copies} cop${p.copies === 1 ? 'y' : 'ies'} of features/ (src/bench/scale.ts), start to exit, once`, unit: 'ms', stats: stats([p.ms]) });
        add({ id: `scale-${p.copies}x-mb`, label: `npm start, suite ${p.label} (${p.cells.toLocaleString('en-US')} cells): peak memory`, how: 'the same run\'s peak resident memory (ru_maxrss: main thread and workers)', unit: 'MB', stats: stats([p.peakMb]) });
      }
    }

    if (want('npmtest')) {
      // npm test's parts one after another, as its script runs them (`a && b && c && d`), each
      // timed: the total is npm test's time, and the parts say where it goes.
      const parts = ['typecheck', 'test:unit', 'test:acceptance', 'test:browser'];
      const before = loadavg()[0]!;
      let total = 0;
      const codes: string[] = [];
      for (const part of parts) {
        if (options.signal?.aborted) break;
        log(`npm test: npm run ${part} ...`);
        const r = await timeSpawn('npm', ['run', part], { cwd: root, env: childEnv, signal: options.signal });
        total += r.ms;
        codes.push(`${part} ${r.code}`);
        add({ id: `npm-test-${part}`, label: `npm test: npm run ${part}`, how: `\`npm run ${part}\`, start to exit, once`, unit: 'ms', stats: stats([r.ms]), note: `exit ${r.code}` });
      }
      const after = loadavg()[0]!;
      add({
        id: 'npm-test',
        label: 'npm test (warm checkout)',
        how: 'the sum of its four parts above (typecheck, unit, acceptance, browser), in this checkout, once',
        unit: 'ms',
        stats: stats([total]),
        note: `exits: ${codes.join(', ')}; load ${before.toFixed(1)} -> ${after.toFixed(1)}`,
      });
    }
  } finally {
    floor.remove();
    rmSync(scratch, { recursive: true, force: true });
  }

  const row = (id: string) => rows.find((r) => r.id === id);
  const med = (id: string) => row(id)?.stats.median;
  const ratio = (a: string, b: string) => {
    const x = med(a);
    const y = med(b);
    return x !== undefined && y !== undefined && y > 0 ? x / y : null;
  };
  const ratios = {
    'apspec/floor (in-process)': ratio('apspec', 'floor'),
    'apspec/floor (process)': ratio('apspec-process', 'floor-process'),
    'apspec/single-process floor (process)': ratio('apspec-process', 'floor-process-serial'),
    'apspec/stock-floor (process)': ratio('apspec-process', 'stock-floor'),
    'one-feature loop/npx cucumber-js --version': ratio('one-feature', 'npx'),
    'apspec-no-shim/apspec': ratio('apspec-no-shim', 'apspec'),
  };
  const explorerMs = (explorer as { perPolicyMs?: Record<string, number> } | null)?.perPolicyMs;
  const at10k = scale.find((p) => p.cells >= TARGET_CELLS && p.copies !== 16 && p.copies !== 4 && p.copies !== 1) ?? scale.find((p) => p.cells >= TARGET_CELLS);
  const at16 = scale.find((p) => p.copies === 16);
  const mb = (v: number) => `${Math.round(v)} MB`;
  const targets: Target[] = [
    ratioTarget(`in-process matrix, ${POLICY_IDS.length} policies: cost per cell vs the floor's`, '<= 1.2 x', row('apspec'), row('floor'), 1.2),
    ratioTarget('npm start wall time vs the single-process floor (same cells)', '<= 1.0 x', row('apspec-process'), row('floor-process-serial'), 1.0),
    ratioTarget('one-feature loop vs npx cucumber-js --version', '<= 1.25 x', row('one-feature'), row('npx'), 1.25),
    valueTarget(`npm test, warm checkout (load ${loadAtStart[0]} at the start)`, '<= 90 s', row('npm-test'), (v) => v <= 90_000, (v) => fmt(v, 'ms')),
    valueTarget('simulator hot path', '>= 2,000,000 ops/s', row('sim'), (v) => v >= 2e6, (v) => fmt(v, 'ops/s')),
    valueTarget(`explorer depth ${options.depth}, slowest of ${explorerMs ? Object.keys(explorerMs).length : 0} policies`, '< 10 s each', row('explorer'), (v) => v < 10_000, (v) => fmt(v, 'ms'), 'max'),
    valueTarget(`peak memory at ${at10k ? at10k.cells.toLocaleString('en-US') : TARGET_CELLS.toLocaleString('en-US')} cells (>= 10,000)`, '<= 300 MB', at10k ? row(`scale-${at10k.copies}x-mb`) : undefined, (v) => v <= 300, mb),
    { ...valueTarget(`peak memory at 16x the suite${at16 ? ` (${at16.cells.toLocaleString('en-US')} cells)` : ''}`, 'reported', at16 ? row('scale-16x-mb') : undefined, () => true, mb), met: null },
  ];

  return {
    version: 1,
    date: new Date().toISOString(),
    machine: {
      nproc: cpus().length,
      cpu: cpuModel(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAtStart,
      loadAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    command: `npm run bench -- --runs ${runs} --warmup ${warmup}`,
    options: { runs, warmup, depth: options.depth },
    suite: { features: shape.features.length, scenarios: shape.scenarios, steps: shape.steps, stepDefinitions, policies: POLICY_IDS.length },
    rows,
    ratios,
    targets,
    explorer,
    scale,
  };
}

/** `a / b` by medians; the range is each of a's samples over b's median. */
function ratioTarget(what: string, limit: string, a: Row | undefined, b: Row | undefined, max: number): Target {
  if (!a || !b || !(b.stats.median > 0)) return { what, limit, value: 'not measured', range: '-', met: null };
  const r = a.stats.median / b.stats.median;
  return { what, limit, value: `${r.toFixed(2)} x`, range: `${(a.stats.min / b.stats.median).toFixed(2)} - ${(a.stats.max / b.stats.median).toFixed(2)} x`, met: r <= max };
}

/** A row's median (or, with `on: 'max'`, its maximum: "every policy under 10 s") against a limit. */
function valueTarget(what: string, limit: string, r: Row | undefined, ok: (v: number) => boolean, show: (v: number) => string, on: 'median' | 'max' = 'median'): Target {
  if (!r || !Number.isFinite(r.stats.median)) return { what, limit, value: 'not measured', range: '-', met: null };
  const v = on === 'max' ? r.stats.max : r.stats.median;
  return { what, limit, value: `${show(v)}${on === 'max' ? ' (max)' : ''}`, range: `${show(r.stats.min)} - ${show(r.stats.max)}`, met: ok(v) };
}

export function fmt(v: number, unit: 'ms' | 'ops/s' | 'MB'): string {
  if (!Number.isFinite(v)) return '-';
  if (unit === 'MB') return `${Math.round(v)} MB`;
  if (unit === 'ops/s') return `${Math.round(v).toLocaleString('en-US')} ops/s`;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

function cpuModel(): string {
  return cpus()[0]?.model?.trim() || 'unknown';
}

/** Load apspec's support code once here to count its step definitions (the floor gets as many). */
async function countStepDefinitions(root: string, env: BenchEnvironment): Promise<number> {
  const environment = { cwd: root, stdout: env.stderr, stderr: env.stderr, env: env.env };
  const { runConfiguration } = await loadConfiguration({ profiles: ['default'] }, environment);
  const support = await loadSupport(runConfiguration, environment);
  // The public type hides the library's members; the object is cucumber's full SupportCodeLibrary.
  return (support as unknown as { stepDefinitions: readonly unknown[] }).stepDefinitions.length;
}

/** The explorer's own numbers via src/explore/bench.ts `measureExplorer({ policy, depth })`, if it exists. */
async function runExplorer(root: string, options: BenchOptions, log: (l: string) => void, add: (r: Row) => void): Promise<unknown> {
  const file = join(root, 'src', 'explore', 'bench.ts');
  if (!existsSync(file)) {
    log('explorer: not available (src/explore/bench.ts does not exist)');
    return { available: false };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { measureExplorer?: (o: { policy: string; depth: number }) => unknown };
  if (typeof mod.measureExplorer !== 'function') {
    log('explorer: not available (src/explore/bench.ts has no measureExplorer)');
    return { available: false };
  }
  const perPolicyMs: Record<string, number> = {};
  const results: Record<string, unknown> = {};
  for (const policy of POLICY_IDS) {
    if (options.signal?.aborted) break;
    log(`explorer: ${policy}, depth ${options.depth} ...`);
    const t0 = performance.now();
    results[policy] = await mod.measureExplorer({ policy, depth: options.depth });
    perPolicyMs[policy] = performance.now() - t0;
  }
  add({ id: 'explorer', label: `explorer depth ${options.depth} (per policy)`, how: 'measureExplorer({ policy, depth }) once per policy; the spread is across policies', unit: 'ms', stats: stats(Object.values(perPolicyMs)) });
  return { available: true, depth: options.depth, perPolicyMs, results };
}

export async function writeBenchJson(report: BenchReport, file: string): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}

export { formatReport };

/**
 * A cucumber config and tsconfig that load apspec's steps through ts-node with swc in
 * transpile-only mode, everything else as the default profile (the regexp shim included).
 */
function writeTsNodeConfig(root: string, scratch: string): { config: string; tsconfig: string } {
  const tsconfig = join(scratch, 'tsconfig.ts-node.json');
  writeFileSync(tsconfig, JSON.stringify({ extends: join(root, 'tsconfig.json'), 'ts-node': { swc: true, transpileOnly: true } }));
  const config = join(scratch, 'ts-node.cucumber.js');
  writeFileSync(
    config,
    `const p = require(${JSON.stringify(join(root, 'cucumber.js'))}).default;\n` +
      `module.exports = { default: { ...p, requireModule: p.requireModule.map((m) => (m === 'tsx/cjs' ? 'ts-node/register' : m)), worldParameters: { policy: 'v11' } } };\n`,
  );
  return { config, tsconfig };
}
