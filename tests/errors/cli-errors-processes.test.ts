/**
 * Errors that teach, through the real command lines (the other half of cli-errors.test.ts, which says
 * how they run; a file of its own so vitest runs the two side by side): a policy that throws or
 * returns nonsense, a step that needs something the scenario never set up, and Ctrl-C during
 * `npm start`, which need processes of their own (a `node -r` preload, a signal).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, BROKEN_POLICIES, STACK, FORMATTERS, f, cucumber, apspecProcess, apspec, perFormatter, out, useCliFixtures } from './cli-harness';

useCliFixtures();

describe('a policy that throws or returns nonsense', () => {
  it('cucumber-js: "policy error" with the policy, the decision point and what went wrong; exit 1', () => {
    const thrown = cucumber(['--require', 'steps/**/*.ts', '--require', BROKEN_POLICIES, '--world-parameters', '{"policy":"broken"}', f('load.feature')]);
    expect(thrown.code).toBe(1);
    expect(thrown.out).toContain('policy error: policy "broken" at decision point vfio_ap.init: its function threw: this policy is broken on purpose');
    expect(thrown.out).not.toMatch(STACK);
    const nonsense = cucumber(['--require', 'steps/**/*.ts', '--require', BROKEN_POLICIES, '--world-parameters', '{"policy":"nonsense"}', f('load.feature')]);
    expect(nonsense.code).toBe(1);
    expect(nonsense.out).toContain('policy error: policy "nonsense" at decision point vfio_ap.init: its function returned 42; expected { ok: true } or { ok: false, errno, why }');
  });

  it('npm start: the cells say "policy error", the other policies still run, exit 1', async () => {
    const o = out();
    // A process: the broken policies join the registry through a `node -r` preload, as a user's would.
    const r = apspecProcess([f('load.feature'), '--policy', 'broken,nonsense,v11', '--out', o], [BROKEN_POLICIES]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ {2}broken +1 scenario : 1 policy-error/);
    expect(r.out).toMatch(/ {2}v11 +1 scenario : 1 passed/);
    expect(r.out).toMatch(/policy error under broken, at: When the vfio_ap module is loaded\n {4}policy error: policy "broken" at decision point vfio_ap\.init: its function threw/);
    expect(r.out).toMatch(/policy error under nonsense/);
    const matrix = JSON.parse(readFileSync(join(o, 'policy-matrix.json'), 'utf8'));
    expect(matrix.scenarios[0].results.broken.status).toBe('policy-error');
    expect(matrix.scenarios[0].results.v11.status).toBe('passed');
  });
});

describe('a step that needs something the scenario never set up', () => {
  const MISSING = [
    /step error: no host has been described yet: start the scenario with {2}Given an s390 host/,
    /step error: there is no guest "g9": create it first with {2}Given a guest "g9"/,
    /step error: there is no mediated device "m7": create it first with {2}Given a mediated device "m7"/,
  ];

  const formats = perFormatter(() => [f('missing.feature')]);
  it.each(FORMATTERS)('cucumber-js --format %s: what is missing and which step creates it; exit 1', (format) => {
    const r = formats(format);
    expect(r.code).toBe(1);
    for (const m of MISSING) expect(r.out).toMatch(m);
    expect(r.out).not.toMatch(STACK);
  });

  it('npm start: the same, with file:line, exit 1', async () => {
    const r = await apspec([f('missing.feature'), '--policy', 'v11', '--out', out()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/missing\.feature:5 {2}no guest\n {2}step error under v11/);
    for (const m of MISSING) expect(r.out).toMatch(m);
  });
});

describe('Ctrl-C during npm start', () => {
  it('stops the running workers at once, writes nothing, keeps the previous report, exit 130', async () => {
    const o = out();
    writeFileSync(join(o, 'policy-matrix.json'), 'the previous report\n');
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'src/cli/main.ts', 'run', 'features', '--out', o], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let text = '';
    let sent = false;
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      // The first policy finished (whichever worker was first): the others are still to run.
      if (!sent && /^ {2}\S+ +\d+ scenarios?\s*:/m.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(text).toMatch(/apspec: interrupted; stopping without writing the report/);
    expect(text).toMatch(/Interrupted after \d+ polic(y|ies); the workers were stopped, nothing was written, the previous report is intact\./);
    expect(text).not.toMatch(STACK);
    expect(readFileSync(join(o, 'policy-matrix.json'), 'utf8')).toBe('the previous report\n');
    expect(readdirSync(o).sort()).toEqual(['policy-matrix.json']);
    expect(existsSync(join(o, 'index.html'))).toBe(false);
  }, 60_000);
});
