/**
 * The emitted counterexamples run unchanged under Cucumber: each fails under the policy it was found
 * for and passes under a policy its header lists, whether breadth-first search or random mode found
 * it. Files go to a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { explore, type Found } from './explore';

const dir = mkdtempSync(join(tmpdir(), 'apspec-explore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

function cucumber(files: string | readonly string[], policy: string): number {
  const r = spawnSync('npx', ['cucumber-js', ...(typeof files === 'string' ? [files] : files), '-p', policy, '--format', 'summary'], { cwd: process.cwd(), encoding: 'utf8', shell: false });
  return r.status ?? -1;
}

/** The thread's counterexamples random mode must find with a fixed seed and a modest budget. */
const RANDOM_CASES = [
  { policy: 'v10-apie', invariant: 'R3' },
  { policy: 'v10', invariant: 'R4' },
  { policy: 'unchecked', invariant: 'host-never-crashes' },
];

describe('emitted counterexamples', () => {
  it('fail under their policy and pass under one the header lists', { timeout: 600_000 }, async () => {
    const cases = [
      { policy: 'v10-apie', invariant: 'R3' },
      { policy: 'v10', invariant: 'R4' },
      { policy: 'unchecked', invariant: 'host-never-crashes' },
      { policy: 'v10', invariant: 'R1' },
      // A kernel's documented limitation: 4.20 lets the host take back a queue a guest uses (6.0 refuses).
      { policy: 'linux-4.20', invariant: 'host-and-guest-never-share-a-queue' },
    ];
    for (const c of cases) {
      const summary = await explore({ policies: [c.policy], invariants: [c.invariant], outDir: dir }, { stdout: sink(), stderr: sink() });
      const found = summary.found.find((f) => f.invariant === c.invariant);
      expect(found, `${c.invariant} under ${c.policy}`).toBeDefined();
      expect(found!.reproduces).toBe(true);
      const text = readFileSync(found!.file, 'utf8');
      expect(text).toContain(`# invariant: ${c.invariant}`);
      expect(text).toContain(`seed ${summary.seed}`);
      expect(cucumber(found!.file, c.policy), `${found!.file} under ${c.policy}`).not.toBe(0);
      const passing = found!.verdicts.passesUnder[0];
      expect(passing, `${c.invariant}: some policy passes`).toBeDefined();
      expect(cucumber(found!.file, passing!), `${found!.file} under ${passing}`).toBe(0);
    }
  });

  it('from random mode (seed 1, 300 runs) too: shrunk to at most 8 steps, they fail under their policy and pass under one all headers list', { timeout: 600_000 }, async () => {
    const found: Found[] = [];
    for (const c of RANDOM_CASES) {
      const summary = await explore({ policies: [c.policy], invariants: [c.invariant], random: true, seed: 1, numRuns: 300, outDir: join(dir, 'random') }, { stdout: sink(), stderr: sink() });
      const f = summary.found.find((x) => x.invariant === c.invariant);
      expect(f, `${c.invariant} under ${c.policy}`).toBeDefined();
      expect(f!.steps).toBeLessThanOrEqual(8);
      expect(f!.reproduces).toBe(true);
      const text = readFileSync(f!.file, 'utf8');
      expect(text).toContain(`# invariant: ${c.invariant}`);
      expect(text).toContain('--random');
      expect(text).toContain('seed 1');
      expect(cucumber(f!.file, c.policy), `${f!.file} under ${c.policy}`).not.toBe(0);
      found.push(f!);
    }
    // One Cucumber run for the passing side: a policy every header lists as passing.
    const passing = found[0]!.verdicts.passesUnder.find((p) => found.every((f) => f.verdicts.passesUnder.includes(p)));
    expect(passing, 'a policy all pass under').toBeDefined();
    expect(cucumber(found.map((f) => f.file), passing!), `the random-mode files under ${passing}`).toBe(0);
  });

  it('under a kernel policy too: linux-6.0 sends a guest\'s AQIC to a refused second mdev\'s hook (random mode, seed 1); linux-latest passes', { timeout: 600_000 }, async () => {
    const summary = await explore({ policies: ['linux-6.0'], invariants: ['aqic-reaches-its-mdev'], random: true, seed: 1, numRuns: 300, outDir: join(dir, 'kernels') }, { stdout: sink(), stderr: sink() });
    const f = summary.found.find((x) => x.invariant === 'aqic-reaches-its-mdev');
    expect(f, 'aqic-reaches-its-mdev under linux-6.0').toBeDefined();
    expect(f!.reproduces).toBe(true);
    expect(f!.verdicts.passesUnder).toContain('linux-latest');
    expect(readFileSync(f!.file, 'utf8')).toContain('executes PQAP(AQIC) on');
    expect(cucumber(f!.file, 'linux-6.0'), `${f!.file} under linux-6.0`).not.toBe(0);
    expect(cucumber(f!.file, 'linux-latest'), `${f!.file} under linux-latest`).toBe(0);
  });
});
