/**
 * The emitted counterexamples run unchanged under Cucumber: each fails under the policy it was found
 * for and passes under a policy its header lists, whether breadth-first search or random mode found
 * it. Files go to a temporary directory.
 *
 * Every file is judged in one in-process matrix run (runMatrix: cucumber's runCucumber with the
 * project's profile, one worker per policy that loads the support code once) instead of one
 * `npx cucumber-js` process per file and policy (17 processes, about 45 s of this file's 60 s).
 * The command the files' headers print (`npx cucumber-js <file> -p <policy>`) still runs once, as a
 * process, on the random-mode files under a policy all their headers list as passing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellStatus } from '../report/types';
import { runMatrix } from '../runner/run-matrix';
import { explore, type ExploreSummary, type Found } from './explore';

const dir = mkdtempSync(join(tmpdir(), 'apspec-explore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

function cucumberCli(files: readonly string[], policy: string): number {
  const r = spawnSync('npx', ['cucumber-js', ...files, '-p', policy, '--format', 'summary'], { cwd: process.cwd(), encoding: 'utf8', shell: false });
  return r.status ?? -1;
}

interface Case {
  readonly policy: string;
  readonly invariant: string;
}

/** The counterexamples breadth-first search must find. */
const BFS_CASES: readonly Case[] = [
  { policy: 'v10-apie', invariant: 'R3' },
  { policy: 'v10', invariant: 'R4' },
  { policy: 'unchecked', invariant: 'host-never-crashes' },
  { policy: 'v10', invariant: 'R1' },
  // A kernel's documented limitation: 4.20 lets the host take back a queue a guest uses (6.0 refuses).
  { policy: 'linux-4.20', invariant: 'host-and-guest-never-share-a-queue' },
];
/** The thread's counterexamples random mode must find with a fixed seed and a modest budget. */
const RANDOM_CASES: readonly Case[] = [
  { policy: 'v10-apie', invariant: 'R3' },
  { policy: 'v10', invariant: 'R4' },
  { policy: 'unchecked', invariant: 'host-never-crashes' },
];
const KERNEL_CASE: Case = { policy: 'linux-6.0', invariant: 'aqic-reaches-its-mdev' };

interface Explored {
  readonly summary: ExploreSummary;
  readonly found: Found | undefined;
}

const bfsFound: Explored[] = [];
const randomFound: Explored[] = [];
let kernelFound: Explored;
/** The matrix run's verdict of each emitted file (absolute path) under each policy it ran under. */
const cells = new Map<string, Record<string, CellStatus>>();

async function exploreCase(c: Case, random: boolean, outDir: string): Promise<Explored> {
  const summary = await explore(
    { policies: [c.policy], invariants: [c.invariant], outDir, ...(random ? { random: true, seed: 1, numRuns: 300 } : {}) },
    { stdout: sink(), stderr: sink() },
  );
  return { summary, found: summary.found.find((f) => f.invariant === c.invariant) };
}

/** The status of `file` under `policy` in the matrix run (undefined: the file did not run there). */
function statusOf(file: string, policy: string): CellStatus | undefined {
  return cells.get(resolve(file))?.[policy];
}

beforeAll(async () => {
  for (const c of BFS_CASES) bfsFound.push(await exploreCase(c, false, dir));
  for (const c of RANDOM_CASES) randomFound.push(await exploreCase(c, true, join(dir, 'random')));
  kernelFound = await exploreCase(KERNEL_CASE, true, join(dir, 'kernels'));
  const files = [...bfsFound, ...randomFound, kernelFound].flatMap((e) => (e.found ? [e.found] : []));
  // Each file runs under its own policy and every policy its header lists as passing: the union
  // of those is a handful of policies, and a cell costs milliseconds once a worker has loaded.
  const policies = new Set(files.flatMap((f) => [f.policy, ...f.verdicts.passesUnder]));
  const result = await runMatrix(
    { paths: files.map((f) => f.file), policies: [...policies], outDir: join(dir, 'matrix'), verdictsPath: join(dir, 'matrix', 'none.json'), html: false },
    { cwd: process.cwd(), stdout: sink(), stderr: sink(), env: { ...process.env } },
  );
  if (result.status !== 'done') throw new Error(`the matrix run of the emitted files did not finish: ${result.status}`);
  for (const row of result.report.scenarios) {
    const file = resolve(process.cwd(), row.uri);
    const statuses: Record<string, CellStatus> = {};
    for (const [policy, cell] of Object.entries(row.results)) statuses[policy] = cell.status;
    cells.set(file, statuses);
  }
}, 600_000);

describe('emitted counterexamples', () => {
  it('fail under their policy and pass under one the header lists', () => {
    BFS_CASES.forEach((c, i) => {
      const { summary, found } = bfsFound[i]!;
      expect(found, `${c.invariant} under ${c.policy}`).toBeDefined();
      expect(found!.reproduces).toBe(true);
      const text = readFileSync(found!.file, 'utf8');
      expect(text).toContain(`# invariant: ${c.invariant}`);
      expect(text).toContain(`seed ${summary.seed}`);
      expect(statusOf(found!.file, c.policy), `${found!.file} under ${c.policy}`).toBe('failed');
      const passing = found!.verdicts.passesUnder[0];
      expect(passing, `${c.invariant}: some policy passes`).toBeDefined();
      expect(statusOf(found!.file, passing!), `${found!.file} under ${passing}`).toBe('passed');
    });
  });

  it('from random mode (seed 1, 300 runs) too: shrunk to at most 8 steps, they fail under their policy and pass under one all headers list', () => {
    const found: Found[] = [];
    RANDOM_CASES.forEach((c, i) => {
      const f = randomFound[i]!.found;
      expect(f, `${c.invariant} under ${c.policy}`).toBeDefined();
      expect(f!.steps).toBeLessThanOrEqual(8);
      expect(f!.reproduces).toBe(true);
      const text = readFileSync(f!.file, 'utf8');
      expect(text).toContain(`# invariant: ${c.invariant}`);
      expect(text).toContain('--random');
      expect(text).toContain('seed 1');
      expect(statusOf(f!.file, c.policy), `${f!.file} under ${c.policy}`).toBe('failed');
      found.push(f!);
    });
    // The passing side through the command the headers print: one Cucumber process for all three files.
    const passing = found[0]!.verdicts.passesUnder.find((p) => found.every((f) => f.verdicts.passesUnder.includes(p)));
    expect(passing, 'a policy all pass under').toBeDefined();
    for (const f of found) expect(statusOf(f.file, passing!), `${f.file} under ${passing}`).toBe('passed');
    expect(cucumberCli(found.map((f) => f.file), passing!), `npx cucumber-js <the random-mode files> -p ${passing}`).toBe(0);
  }, 120_000);

  it('under a kernel policy too: linux-6.0 sends a guest\'s AQIC to a refused second mdev\'s hook (random mode, seed 1); linux-latest passes', () => {
    const f = kernelFound.found;
    expect(f, 'aqic-reaches-its-mdev under linux-6.0').toBeDefined();
    expect(f!.reproduces).toBe(true);
    expect(f!.verdicts.passesUnder).toContain('linux-latest');
    expect(readFileSync(f!.file, 'utf8')).toContain('executes PQAP(AQIC) on');
    expect(statusOf(f!.file, 'linux-6.0'), `${f!.file} under linux-6.0`).toBe('failed');
    expect(statusOf(f!.file, 'linux-latest'), `${f!.file} under linux-latest`).toBe('passed');
  });
});
