/**
 * The same inputs give a byte-identical policy-matrix.json on every run: the thread features under
 * every policy, 20 times in one process through the runMatrix API, each into its own directory.
 * Timestamps and durations live in run-info.json, never in the matrix.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runMatrix } from '../src/runner/run-matrix';

const ROOT = resolve(__dirname, '..');
const RUNS = 20;
const sink = () => new Writable({ write: (_c, _e, done) => done() });

describe('policy-matrix.json', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it(`is byte-identical across ${RUNS} runs of the thread features`, async () => {
    const outputs: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = await mkdtemp(join(tmpdir(), 'apspec-determinism-'));
      dirs.push(out);
      const result = await runMatrix(
        { paths: ['features/thread'], outDir: out, verdictsPath: join(out, 'expected-verdicts.json') },
        { cwd: ROOT, stdout: sink(), stderr: sink(), env: {} },
      );
      expect(result.status).toBe('done');
      outputs.push(await readFile(join(out, 'policy-matrix.json'), 'utf8'));
    }
    expect(new Set(outputs).size).toBe(1);
    const matrix = outputs[0]!;
    expect(JSON.parse(matrix).scenarios).toHaveLength(5);
    expect(matrix).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no timestamps
    expect(matrix).not.toMatch(/"\w*(duration|Ms|startedAt|finishedAt)\w*"\s*:/i); // no durations
    expect(matrix).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/); // no cucumber uuids
    expect(matrix).not.toContain(tmpdir()); // no machine paths
    // What varies run to run has its own file.
    const runInfo = JSON.parse(await readFile(join(dirs[0]!, 'run-info.json'), 'utf8'));
    expect(runInfo).toHaveProperty('startedAt');
    expect(runInfo).toHaveProperty('durationMs');
  }, 120_000);
});
