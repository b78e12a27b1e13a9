/**
 * The same inputs give a byte-identical report on every run: the thread features under every
 * policy, through the runMatrix API, each run into its own directory. Timestamps and durations
 * live in run-info.json, never in the matrix.
 *
 * Three parallel runs (the workers finish in whatever order the machine gives them) and one
 * serial run (--jobs 1): all four must agree byte for byte. Twenty repeats used to prove the
 * first half; the order in which policies finish is what varies between runs, and three parallel
 * runs beside a serial one exercise that as well as twenty did.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runMatrix } from '../src/runner/run-matrix';

const ROOT = resolve(__dirname, '..');
const PARALLEL_RUNS = 3;
const FILES = ['policy-matrix.json', 'policy-matrix.md', 'index.html'] as const;
const sink = () => new Writable({ write: (_c, _e, done) => done() });

describe('the report', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function run(jobs: number | undefined): Promise<Record<(typeof FILES)[number], string>> {
    const out = await mkdtemp(join(tmpdir(), 'apspec-determinism-'));
    dirs.push(out);
    const result = await runMatrix(
      { paths: ['features/thread'], outDir: out, verdictsPath: join(out, 'expected-verdicts.json'), ...(jobs ? { jobs } : {}) },
      { cwd: ROOT, stdout: sink(), stderr: sink(), env: {} },
    );
    expect(result.status).toBe('done');
    return Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await readFile(join(out, f), 'utf8')]))) as Record<(typeof FILES)[number], string>;
  }

  it(`is byte-identical across ${PARALLEL_RUNS} parallel runs and a serial one of the thread features`, async () => {
    const parallel = [];
    for (let i = 0; i < PARALLEL_RUNS; i++) parallel.push(await run(2));
    const serial = await run(1);
    for (const file of FILES) {
      expect(new Set(parallel.map((p) => p[file])).size, `${file} across parallel runs`).toBe(1);
      expect(serial[file], `${file}: serial vs parallel`).toBe(parallel[0]![file]);
    }
    const matrix = serial['policy-matrix.json'];
    expect(JSON.parse(matrix).scenarios).toHaveLength(5);
    expect(matrix).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no timestamps
    expect(matrix).not.toMatch(/"\w*(duration|Ms|startedAt|finishedAt)\w*"\s*:/i); // no durations
    expect(matrix).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/); // no cucumber uuids
    expect(matrix).not.toContain(tmpdir()); // no machine paths
    // What varies run to run has its own file.
    const runInfo = JSON.parse(await readFile(join(dirs[0]!, 'run-info.json'), 'utf8'));
    expect(runInfo).toHaveProperty('startedAt');
    expect(runInfo).toHaveProperty('durationMs');
  }, 180_000);
});
