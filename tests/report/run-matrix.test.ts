import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/runner/errors';
import { parseMatrix } from '../../src/report/matrix';
import { POLICY_IDS } from '../../src/policies';
import { runMatrix } from '../../src/runner/run-matrix';
import { captureStream, runFixture, tempDir } from './fixture';

/**
 * One run of the whole fixture with the defaults, shared by the tests that only read it (a run is
 * deterministic: the first test proves its report byte-identical across runs).
 */
let defaultRun: Promise<{ out: string; result: Awaited<ReturnType<typeof runFixture>>['result'] }> | undefined;
const fullFixtureRun = () =>
  (defaultRun ??= (async () => {
    const out = await tempDir();
    const { result } = await runFixture({ outDir: out });
    return { out, result };
  })());

describe('runMatrix on the fixture features', () => {
  it('writes a policy-matrix.json that is byte-identical across runs, serial or parallel', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await runFixture({ outDir: a, jobs: 1 });
    await runFixture({ outDir: b, jobs: 3 });
    expect(await readFile(join(a, 'policy-matrix.md'), 'utf8')).toBe(await readFile(join(b, 'policy-matrix.md'), 'utf8'));
    const [ja, jb] = [await readFile(join(a, 'policy-matrix.json'), 'utf8'), await readFile(join(b, 'policy-matrix.json'), 'utf8')];
    expect(ja).toBe(jb);
    expect(await readFile(join(a, 'index.html'), 'utf8')).toBe(await readFile(join(b, 'index.html'), 'utf8'));
    expect(ja).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/); // no timestamps
    expect(JSON.parse(await readFile(join(a, 'run-info.json'), 'utf8'))).toHaveProperty('startedAt');
  });

  it('gives every policy a column and reports a thrown "policy error:" as policy-error while the rest runs', async () => {
    const { result } = await fullFixtureRun();
    if (result.status !== 'done') throw new Error('expected a finished run');
    const report = result.report;
    expect(report.policies.map((p) => p.id)).toEqual([...POLICY_IDS]);
    const broken = report.scenarios.find((s) => s.name.startsWith('a broken policy'))!;
    expect(broken.results['v10-apie'].status).toBe('policy-error');
    expect(broken.results['v10-apie'].error).toMatch(/^policy error:/);
    expect(broken.results.v11.status).toBe('failed');
    const r1 = report.scenarios.find((s) => s.name.startsWith('R1 '))!;
    expect(r1.results.v10).toMatchObject({ status: 'failed', failingStep: 'Then loading fails with ENODEV' });
    // The When step caused the decision: the report nests each event under its step.
    expect(r1.results.v10.steps?.[1].events).toContainEqual(expect.objectContaining({ type: 'decision', point: 'vfio_ap.init', option: 'none', branch: 'accept' }));
    expect(report.scenarios.find((s) => s.name === 'a step nobody defined')!.results.v11.status).toBe('undefined');
  });

  it('puts the thread requirements first and identifies every row, outline rows included, by file and line', async () => {
    const { result } = await fullFixtureRun();
    if (result.status !== 'done') throw new Error('expected a finished run');
    const ids = result.report.scenarios.map((s) => s.id);
    expect(ids.slice(0, 5).every((id) => id.startsWith('features/thread/'))).toBe(true);
    const off = result.report.scenarios.find((s) => s.example?.[0] === 'off')!;
    expect(off.id).toBe(`${off.uri}:${off.line}`);
    expect(off.name).toBe('R2 the masks are written whatever APIE says');
  });

  it("writes cucumber's own NDJSON and JUnit per policy, and HTML only when asked", async () => {
    const out = await tempDir();
    await runFixture({ outDir: out, policies: ['v11'], html: true });
    expect((await readdir(join(out, 'v11'))).sort()).toEqual(['cucumber.html', 'junit.xml', 'messages.ndjson']);
    expect(await readFile(join(out, 'v11', 'junit.xml'), 'utf8')).toContain('name="apspec v11"');
    const out2 = await tempDir();
    await runFixture({ outDir: out2, policies: ['v11'] });
    expect(existsSync(join(out2, 'v11', 'cucumber.html'))).toBe(false);
  });

  it('runs a subset of policies in registry order', async () => {
    const { result } = await runFixture({ outDir: await tempDir(), policies: ['v11', 'v10'] });
    if (result.status !== 'done') throw new Error('expected a finished run');
    expect(result.report.policies.map((p) => p.id)).toEqual(['v10', 'v11']);
  });

  it('rejects an unknown policy with a message listing the known ones', async () => {
    await expect(runFixture({ outDir: await tempDir(), policies: ['v12'] })).rejects.toThrow(UsageError);
    await expect(runFixture({ outDir: await tempDir(), policies: ['v12'] })).rejects.toThrow(/Known policies: v10, v10-apie, ap-instructions, v11, unchecked/);
  });

  it('rejects a feature path that does not exist, and a selection with no scenarios', async () => {
    await expect(runFixture({ outDir: await tempDir(), paths: ['features/nope.feature'] })).rejects.toThrow(/does not exist/);
    await expect(runFixture({ outDir: await tempDir(), tags: '@no-such-tag' })).rejects.toThrow(/No scenarios to run/);
  });

  it('stops after the current policy when interrupted, writing nothing and keeping the previous report', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'policy-matrix.json'), 'previous');
    const controller = new AbortController();
    const stdout = captureStream();
    // Abort as soon as the first policy's progress line appears: the Ctrl-C-mid-run case.
    const aborting = Object.assign(
      new Writable({
        write(chunk, enc, done) {
          if (/^\s+v10\s/m.test(String(chunk))) controller.abort();
          stdout.write(chunk, enc, done);
        },
      }),
      { text: () => stdout.text() },
    );
    const { result } = await runFixture({ outDir: out, signal: controller.signal, jobs: 1 }, aborting);
    expect(result).toEqual({ status: 'interrupted', completedPolicies: ['v10'] });
    expect(await readFile(join(out, 'policy-matrix.json'), 'utf8')).toBe('previous');
    expect((await readdir(out)).sort()).toEqual(['policy-matrix.json']);
  });

  it('compares with the expected verdicts, and --accept records them', async () => {
    // The thread features only: --accept records verdicts, and the odd feature's cells are none.
    const out = await tempDir();
    const first = await runFixture({ outDir: out, paths: ['features/thread'] });
    expect(first.result).toMatchObject({ verdicts: 'missing' });
    expect(first.stdout).toMatch(/--accept/);
    const accepted = await runFixture({ outDir: out, paths: ['features/thread'], accept: true });
    expect(accepted.result).toMatchObject({ verdicts: 'accepted' });
    const expected = JSON.parse(await readFile(join(out, 'expected-verdicts.json'), 'utf8'));
    expected['features/thread/r1-enodev.feature:6'].v10 = 'passed';
    await writeFile(join(out, 'expected-verdicts.json'), JSON.stringify(expected));
    const again = await runFixture({ outDir: out, paths: ['features/thread'] });
    expect(again.result).toMatchObject({ verdicts: 'compared', differences: [expect.objectContaining({ kind: 'changed', policy: 'v10' })] });
    expect(again.stdout).toContain('R1 loading vfio_ap without AP instructions fails with ENODEV (features/thread/r1-enodev.feature:6) under v10: expected passed, got failed');
  });

  it('merges shards into the report one unsharded run writes', async () => {
    const [{ out: full }, s1, s2] = [await fullFixtureRun(), await tempDir(), await tempDir()];
    await runFixture({ outDir: s1, shard: '1/2' });
    await runFixture({ outDir: s2, shard: '2/2' });
    const { mergeMatrices } = await import('../../src/report/merge');
    const { serializeMatrix } = await import('../../src/report/matrix');
    const shards = await Promise.all([s1, s2].map(async (d) => parseMatrix(await readFile(join(d, 'policy-matrix.json'), 'utf8'), d)));
    expect(shards[0].scenarios.length).toBeGreaterThan(0);
    expect(shards[0].scenarios.length).toBeLessThan(8);
    expect(serializeMatrix(mergeMatrices(shards))).toBe(await readFile(join(full, 'policy-matrix.json'), 'utf8'));
  });
});

const HANG_CWD = resolve(__dirname, '../fixtures/hang');
const quiet = () => ({ cwd: HANG_CWD, stdout: captureStream(), stderr: captureStream(), env: {} });

describe('runMatrix on worker threads', () => {
  it('ends a scenario that never returns as "timed out" at its step, and runs the scenarios after it', async () => {
    const out = await tempDir();
    const result = await runMatrix({ outDir: out, policies: ['v11'], timeoutMs: 1000, verdictsPath: join(out, 'v.json') }, quiet());
    if (result.status !== 'done') throw new Error('expected a finished run');
    expect(result.timedOut).toEqual([{ policy: 'v11', uri: 'features/hang.feature', line: 6, scenario: 'the loop', step: 'When a step loops forever' }]);
    const byName = Object.fromEntries(result.report.scenarios.map((s) => [s.name, s.results.v11]));
    expect(byName['before the loop']?.status).toBe('passed');
    expect(byName['after the loop']?.status).toBe('passed');
    expect(byName['the loop']).toMatchObject({ status: 'failed', failingStep: 'When a step loops forever' });
    expect(byName['the loop']?.error).toMatch(/^timed out: .*1000 ms.*--timeout-ms/);
  });

  it('stops at once when aborted, even inside a step that never returns, and writes nothing', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'policy-matrix.json'), 'previous');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    // With a budget of an hour only the abort can end this run.
    const result = await runMatrix({ outDir: out, policies: ['v11'], timeoutMs: 3_600_000, signal: controller.signal }, quiet());
    expect(result).toEqual({ status: 'interrupted', completedPolicies: [] });
    expect(await readdir(out)).toEqual(['policy-matrix.json']);
    expect(await readFile(join(out, 'policy-matrix.json'), 'utf8')).toBe('previous');
  });

  it('removes the staging folders of runs whose process is gone, and keeps those of live ones', async () => {
    const out = await tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await mkdir(join(out, `.tmp-run-${dead}-1`, 'v11'), { recursive: true });
    await writeFile(join(out, `.tmp-policy-matrix.json-${dead}-3`), 'half');
    await mkdir(join(out, `.tmp-run-${process.ppid}-1`));
    await runFixture({ outDir: out, policies: ['v11'] });
    const left = (await readdir(out)).filter((n) => n.startsWith('.tmp-'));
    expect(left).toEqual([`.tmp-run-${process.ppid}-1`]);
  });

  it('never mixes two runs publishing into the same directory at once', async () => {
    const out = await tempDir();
    await Promise.all([runFixture({ outDir: out, policies: ['v10'] }), runFixture({ outDir: out, policies: ['v11', 'unchecked'] })]);
    const matrix = parseMatrix(await readFile(join(out, 'policy-matrix.json'), 'utf8'), out);
    const policyDirs = (await readdir(out, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(policyDirs).toEqual(matrix.policies.map((p) => p.id).sort());
    expect((await readFile(join(out, 'policy-matrix.md'), 'utf8')).includes('unchecked')).toBe(policyDirs.includes('unchecked'));
  });

  it('writes a partial run (policies, tags, paths or shard) to reports/partial, keeping the full report', async () => {
    // The hang fixture's own reports/ (the matrix fixture's is the workflow test's), without its loop.
    const reports = join(HANG_CWD, 'reports');
    try {
      await mkdir(reports, { recursive: true });
      await writeFile(join(reports, 'index.html'), 'the full report');
      const stdout = captureStream();
      const result = await runMatrix(
        { policies: ['v11'], paths: ['features/hang.feature:3'], verdictsPath: join(reports, 'v.json') },
        { cwd: HANG_CWD, stdout, stderr: captureStream(), env: {} },
      );
      expect(result).toMatchObject({ status: 'done', partial: true, outDir: join(reports, 'partial') });
      expect(existsSync(join(reports, 'partial', 'index.html'))).toBe(true);
      expect(await readFile(join(reports, 'index.html'), 'utf8')).toBe('the full report');
      expect(stdout.text()).toContain('Partial run: the report goes to reports/partial/; the full report in reports/ is kept.');
    } finally {
      await rm(reports, { recursive: true, force: true });
    }
  });
});
