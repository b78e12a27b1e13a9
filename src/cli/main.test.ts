import { describe, expect, it } from 'vitest';
import { captureStream, FIXTURE_CWD, tempDir } from '../../tests/report/fixture';
import { POLICY_IDS } from '../policies';
import { runCli } from './main';

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(argv, { cwd: FIXTURE_CWD, stdout, stderr, env, signal: new AbortController().signal });
  return { code, out: stdout.text(), err: stderr.text() };
}

describe('apspec CLI', () => {
  it('answers an unknown policy with one paragraph listing the known ones, exit 2, no stack', async () => {
    const r = await cli(['run', '--policy', 'v12', '--out', await tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err.startsWith(`apspec: Unknown policy "v12". Known policies: ${POLICY_IDS.join(', ')}.`)).toBe(true);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('shows the stack of a user error only with APSPEC_DEBUG=1', async () => {
    const r = await cli(['--policy', 'v12'], { APSPEC_DEBUG: '1' });
    expect(r.err).toMatch(/\n\s+at /);
  });

  it('rejects a missing feature path and an unknown option with exit 2', async () => {
    expect((await cli(['run', 'features/typo.feature'])).code).toBe(2);
    const r = await cli(['run', '--polcy', 'v11']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--polcy'/);
    expect(r.err).toMatch(/Usage:/);
  });

  it('treats a first word that is neither a command nor a path as an unknown command', async () => {
    const r = await cli(['exlpore']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown command "exlpore"/);
  });

  it('does not fail because scenarios fail: failing cells are the product', async () => {
    // The fixture has no committed expected verdicts, so this run only reports; verdict
    // differences (exit 1) are covered in tests/report/run-matrix.test.ts.
    const r = await cli(['features/thread', '--policy', 'v10,v11', '--out', await tempDir()]);
    expect(r.code).toBe(0);
    // Requirements are the fixture's two thread features; v10 fails a scenario of each.
    expect(r.out).toMatch(/v10 +met none \(misses R1 R5\); 2 passed, 3 failed/);
  });

  it('fails on a broken feature or policy (undefined step, policy error), whatever the verdicts say', async () => {
    const r = await cli(['--policy', 'v10,v10-apie', '--out', await tempDir()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/problems in the features or policies/);
    expect(r.out).toMatch(/undefined step under v10, v10-apie, at: When the administrator does something nobody wrote a step for/);
    expect(r.out).toMatch(/policy error under v10-apie/);
  });

  it('runs the default command when the first argument is an option or a path', async () => {
    const r = await cli(['features/thread', '--policy', 'v11', '--out', await tempDir()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/5 scenarios × 1 policy/);
  });
});
