/**
 * Child process of `npm run bench`: run the policy matrix in this process with runMatrix (the path
 * `npm start` takes), `warmup` times untimed and then `runs` times timed, and print one JSON line.
 * A fresh process per measured set-up keeps module caches and the regexp shim (APSPEC_NO_SHIM)
 * of one set-up out of the others.
 *
 *   node -r tsx/cjs src/bench/matrix-worker.ts '{"cwd":"...","warmup":1,"runs":5}'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ORIGINAL, loadTreeRegexp, shimState } from '../perf/tree-regexp';
import { runMatrix } from '../runner/run-matrix';

export interface WorkerRequest {
  readonly cwd: string;
  readonly warmup: number;
  readonly runs: number;
  /**
   * Alternate runs with the shim's `match` and the original one (A/B/A/B... after warming both),
   * so machine noise hits both sides alike. Needs the shim installed (cucumber.js requireModule).
   */
  readonly abShim?: boolean;
}

export interface WorkerResult {
  /** The first run in this process: loads the support code (as `npm start` does once). */
  readonly firstMs: number;
  readonly ms: number[];
  readonly scenarios: number;
  readonly policies: number;
  readonly shim: string;
  /** With abShim: the runs with the original (polyfill) `match`. */
  readonly msNoShim?: number[];
}

export const RESULT_PREFIX = 'apspec-bench-result ';

const sink = () => new Writable({ write: (_c, _e, done) => done() });

async function oneRun(cwd: string): Promise<{ ms: number; scenarios: number; policies: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'apspec-bench-reports-'));
  try {
    const t0 = performance.now();
    const result = await runMatrix({ outDir }, { cwd, stdout: sink(), stderr: process.stderr, env: process.env });
    const ms = performance.now() - t0;
    if (result.status !== 'done') throw new Error(`the matrix run in ${cwd} was ${result.status}`);
    return { ms, scenarios: result.report.scenarios.length, policies: result.report.policies.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function work(req: WorkerRequest): Promise<WorkerResult> {
  const first = await oneRun(req.cwd);
  const state = shimState();
  if (!req.abShim || state !== 'installed') {
    for (let i = 1; i < req.warmup; i++) await oneRun(req.cwd);
    const ms: number[] = [];
    for (let i = 0; i < req.runs; i++) ms.push((await oneRun(req.cwd)).ms);
    return { firstMs: first.ms, ms, scenarios: first.scenarios, policies: first.policies, shim: state };
  }
  const proto = loadTreeRegexp().prototype as { match: unknown; [ORIGINAL]?: unknown };
  const patched = proto.match;
  const original = proto[ORIGINAL]!;
  const ms: number[] = [];
  const msNoShim: number[] = [];
  try {
    for (let i = 0; i < Math.max(1, req.warmup) * 2 + req.runs * 2; i++) {
      const withShim = i % 2 === 0;
      proto.match = withShim ? patched : original;
      const { ms: t } = await oneRun(req.cwd);
      if (i >= Math.max(1, req.warmup) * 2) (withShim ? ms : msNoShim).push(t);
    }
  } finally {
    proto.match = patched;
  }
  return { firstMs: first.ms, ms, msNoShim, scenarios: first.scenarios, policies: first.policies, shim: 'installed, alternated with the polyfill' };
}

if (require.main === module) {
  work(JSON.parse(process.argv[2]) as WorkerRequest).then(
    (r) => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
