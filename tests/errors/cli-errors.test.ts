/**
 * Errors that teach, through the real command lines: `cucumber-js` (what `npx cucumber-js` runs)
 * with the formatters a user is likely to pick, and apspec's CLI (what `npm start` runs) into temp
 * directories. Each case checks the paragraph, the file:line where there is one, the exit code, and
 * that no JavaScript stack is printed unless APSPEC_DEBUG=1.
 *
 * cucumber-js is a process (its CLI is what is under test); the three formatters a user is likely
 * to pick run in that one process, each writing to its own file. apspec's cases call `runCli`, the
 * function main.ts runs, in this process (same paragraphs, same exit codes, none of the start-up);
 * only what needs a process of its own spawns one: a policy preloaded with `node -r`, and Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { POLICY_IDS } from '../../src/policies';

const ROOT = resolve(__dirname, '../..');
const CUCUMBER = join(ROOT, 'node_modules/.bin/cucumber-js');
const BROKEN_POLICIES = join(__dirname, 'fixtures/broken-policies.ts');
/** A stack frame as Node prints it. */
const STACK = /\n\s+at .+[(:]\d+/;
const FORMATTERS = ['progress', 'summary', 'pretty'] as const;

let dir: string;
const f = (name: string) => join(dir, name);

function write(name: string, text: string): string {
  writeFileSync(f(name), text);
  return f(name);
}

interface Run {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', APSPEC_DEBUG: '', ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
const cucumber = (args: string[], env?: Record<string, string>) => run(CUCUMBER, args, env);
/** `npm start -- <args>` as a process: only for what needs one (a `node -r` preload). */
const apspecProcess = (args: string[], preload: string[] = []) =>
  run(process.execPath, ['-r', 'tsx/cjs', ...preload.flatMap((p) => ['-r', p]), 'src/cli/main.ts', 'run', ...args]);

/** `npm start -- <args>` in this process: runCli is what main.ts runs; stdout then stderr, as a process's would read. */
async function apspec(args: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (c, _e, done) => (into.push(String(c)), done()) });
  const code = await runCli(['run', ...args], {
    cwd: ROOT,
    stdout: sink(stdout),
    stderr: sink(stderr),
    env: { ...process.env, FORCE_COLOR: '0', APSPEC_DEBUG: '' },
    signal: new AbortController().signal,
  });
  return { code, out: `${stdout.join('')}${stderr.join('')}` };
}

/**
 * cucumber-js once with each formatter writing its own file (the console gets progress): one
 * process instead of one per formatter. Returns the exit code and each formatter's output.
 */
function cucumberFormats(args: string[]): { code: number | null; outputs: Record<(typeof FORMATTERS)[number], string>; console: string } {
  const files = Object.fromEntries(FORMATTERS.map((fmt) => [fmt, join(mkdtempSync(join(dir, 'fmt-')), `${fmt}.txt`)])) as Record<(typeof FORMATTERS)[number], string>;
  const r = cucumber([...args, ...FORMATTERS.flatMap((fmt) => ['--format', `${fmt}:${files[fmt]}`])]);
  const outputs = Object.fromEntries(FORMATTERS.map((fmt) => [fmt, existsSync(files[fmt]) ? readFileSync(files[fmt], 'utf8') : ''])) as Record<(typeof FORMATTERS)[number], string>;
  return { code: r.code, outputs, console: r.out };
}

/** One cucumber-js process for a describe block's per-formatter cases: `(format) => { code, out }`, run on first use. */
function perFormatter(args: () => string[]): (format: (typeof FORMATTERS)[number]) => Run {
  let result: ReturnType<typeof cucumberFormats> | undefined;
  return (format) => {
    result ??= cucumberFormats(args());
    // Nothing on the console may carry a stack either.
    expect(result.console).not.toMatch(STACK);
    return { code: result.code, out: result.outputs[format] };
  };
}
const out = () => mkdtempSync(join(dir, 'out-'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apspec-errors-'));
  write(
    'malformed.feature',
    `Feature: malformed
  Scenario: a line that is no step
    Given an s390 host
   Whatever this is
`,
  );
  write(
    'undefined.feature',
    `Feature: undefined
  Scenario: a typo in a step
    Given an s390 host
    And the vfio_ap modul is loaded
`,
  );
  write(
    'arguments.feature',
    `Feature: arguments
  Scenario: an id over 255
    Given an s390 host
    And adapters 256 are reserved for pass-through

  Scenario: a bare 0x
    Given an s390 host
    And adapters 0x are reserved for pass-through

  Scenario: a negative id
    Given an s390 host
    And adapters -1 are reserved for pass-through

  Scenario: a malformed APQN
    Given an s390 host
    Then guest "g1" sees AP queues 5.4

  Scenario: an unknown errno
    Given an s390 host
    When the vfio_ap module is loaded
    Then it fails with ENOPE

  Scenario: an unknown CPU-model feature
    Given an s390 host
    And a guest "g1" with CPU model "host,foo=on"
`,
  );
  write(
    'missing.feature',
    `Feature: missing
  Scenario: no host
    Given the vfio_ap module is loaded

  Scenario: no guest
    Given an s390 host
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the VMM opens mediated device "m1" for "g9"

  Scenario: no mediated device
    Given an s390 host
    And the vfio_ap module is loaded
    When the administrator assigns adapter 2 to "m7"
`,
  );
  write(
    'expectation.feature',
    `Feature: expectation
  Scenario: loading vfio_ap fails
    Given an s390 host
    When the vfio_ap module is loaded
    Then it fails with ENODEV
`,
  );
  write(
    'load.feature',
    `Feature: load
  Scenario: loading vfio_ap
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds
`,
  );
  write('ambiguous.steps.js', `const { Given } = require(${JSON.stringify(join(ROOT, 'node_modules/@cucumber/cucumber'))});\nGiven('an s390 host', function () {});\n`);
  mkdirSync(f('empty'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malformed Gherkin', () => {
  it('cucumber-js: the parse error with file and line:column, exit 1', () => {
    const r = cucumber([f('malformed.feature')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Parse error in ".*malformed\.feature" \(4:4\): .*got 'Whatever this is'/);
    expect(r.out).not.toMatch(STACK);
  });

  it('npm start: the same, one line per error with file:line, exit 1, nothing written', async () => {
    const o = out();
    const r = await apspec([f('malformed.feature'), '--out', o]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/apspec: The features do not parse:\n\s+\S*malformed\.feature:4: .*got 'Whatever this is'/);
    expect(r.out).not.toMatch(STACK);
    expect(readdirSync(o)).toEqual([]);
  });
});

describe('an undefined step', () => {
  const formats = perFormatter(() => [f('undefined.feature')]);
  it.each(FORMATTERS)('cucumber-js --format %s: "did you mean" from the vocabulary and a TypeScript snippet, exit 1', (format) => {
    const r = formats(format);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/undefined\.feature:2/);
    expect(r.out).toContain('// Did you mean one of these steps of the vocabulary (docs/steps.md)?');
    expect(r.out).toContain('//   Given the vfio_ap module is loaded');
    expect(r.out).toMatch(/step\(\s+'Given',\s+'the vfio_ap modul is loaded',/);
    expect(r.out).toContain('function (this: ApWorld)');
  });

  it('npm start: the cell, the step, the suggestion; exit 1', async () => {
    const r = await apspec([f('undefined.feature'), '--policy', 'v11', '--out', out()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/undefined\.feature:2 {2}a typo in a step\n {2}undefined step under v11, at: And the vfio_ap modul is loaded/);
    expect(r.out).toContain('//   Given the vfio_ap module is loaded');
  });
});

describe('an ambiguous step', () => {
  it('cucumber-js: names every matching definition with its file and line, exit 1', () => {
    const r = cucumber(['--require', 'steps/**/*.ts', '--require', f('ambiguous.steps.js'), f('load.feature')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Multiple step definitions match:');
    expect(r.out).toMatch(/an s390 host - steps\/host\.steps\.ts:\d+/);
    expect(r.out).toMatch(/an s390 host - \S*ambiguous\.steps\.js:2/);
    expect(r.out).not.toMatch(STACK);
  });
});

const ARGUMENT_ERRORS = [
  /step error: \{ids\} "256" is not a list of AP ids: "256" is not an id; write ids \(decimal 5 or hex 0x05, from 0 to 255\)/,
  /step error: \{ids\} "0x" is not a list of AP ids/,
  /step error: \{ids\} "-1" is not a list of AP ids/,
  /step error: \{apqns\} "5\.4" is not a list of APQNs: .*write APQNs as the kernel prints them \(05\.0004\)/,
  /step error: \{errno\} "ENOPE" is not an errno name the simulated kernel returns: write one of EPERM, .*ENODEV/,
  /step error: CPU model "host,foo=on" is not one apspec's QEMU can parse \(Property '\.foo' not found .*features ap, apqci, apft, apqi, msa3/,
];

describe('a step argument that does not parse', () => {
  const formats = perFormatter(() => [f('arguments.feature')]);
  it.each(FORMATTERS)('cucumber-js --format %s: the parameter, the value and the accepted forms; exit 1; no stack', (format) => {
    const r = formats(format);
    expect(r.code).toBe(1);
    for (const message of ARGUMENT_ERRORS) expect(r.out).toMatch(message);
    expect(r.out).not.toMatch(STACK);
  });

  it('cucumber-js with APSPEC_DEBUG=1: the stack too', () => {
    const r = cucumber([f('arguments.feature') + ':2'], { APSPEC_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(ARGUMENT_ERRORS[0]!);
    expect(r.out).toMatch(STACK);
  });

  it('npm start: each as a step error with file:line, exit 1', async () => {
    const r = await apspec([f('arguments.feature'), '--policy', 'v11', '--out', out()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/6 problems in the features or policies/);
    expect(r.out).toMatch(/arguments\.feature:2 {2}an id over 255\n {2}step error under v11, at: And adapters 256 are reserved for pass-through/);
    for (const message of ARGUMENT_ERRORS) expect(r.out).toMatch(message);
    expect(r.out).not.toMatch(STACK);
  });
});

describe('an unknown policy id', () => {
  it('cucumber-js -p: lists the policies, exit 2', () => {
    const r = cucumber(['-p', 'v12', f('load.feature')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/apspec: unknown profile "v12"\. Each policy has a profile named by its id: v10, v10-apie, ap-instructions, v11, unchecked/);
    expect(r.out).not.toMatch(STACK);
  });

  it('cucumber-js --world-parameters: lists the policies, exit 1', () => {
    const r = cucumber(['--world-parameters', '{"policy":"v12"}', f('load.feature')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/world parameter "policy": unknown policy "v12"\. Known policies: v10, v10-apie, ap-instructions, v11, unchecked/);
    expect(r.out).not.toMatch(STACK);
  });

  it('npm start --policy: lists the policies, exit 2', async () => {
    const r = await apspec(['--policy', 'v12', '--out', out()]);
    expect(r.code).toBe(2);
    expect(r.out.startsWith(`apspec: Unknown policy "v12". Known policies: ${POLICY_IDS.join(', ')}.`)).toBe(true);
    expect(r.out).not.toMatch(STACK);
  });
});

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

describe('an unwritable reports directory', () => {
  it('npm start: says where and why before running anything, exit 1', async () => {
    const file = write('a-file', 'not a directory');
    const r = await apspec([f('load.feature'), '--out', join(file, 'reports')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^apspec: Cannot write the report to \S*a-file\/reports: a part of that path is a file, not a directory \(ENOTDIR\)\. Nothing was run/);
    expect(r.out).not.toContain('scenario');
    expect(r.out).not.toMatch(STACK);
  });
});

describe('a feature path that does not exist', () => {
  it('cucumber-js: names it, exit 2', () => {
    const r = cucumber([f('nope.feature')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^apspec: Feature path "\S*nope\.feature" does not exist/);
  });

  it('npm start: names it, exit 2', async () => {
    const r = await apspec([f('nope.feature'), '--out', out()]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^apspec: Feature path "\S*nope\.feature" does not exist/);
  });
});

describe('an empty feature set', () => {
  it('cucumber-js: a directory without features, or tags that select nothing, exit 2', () => {
    const empty = cucumber([f('empty')]);
    expect(empty.code).toBe(2);
    expect(empty.out).toMatch(/^apspec: No scenarios to run: no \.feature file in \S*empty/);
    const tags = cucumber(['--tags', '@no-such-tag', f('load.feature')]);
    expect(tags.code).toBe(2);
    expect(tags.out).toMatch(/^apspec: No scenarios to run: \S*load\.feature select nothing/);
  });

  it('npm start: the same, exit 2', async () => {
    const empty = await apspec([f('empty'), '--out', out()]);
    expect(empty.code).toBe(2);
    expect(empty.out).toMatch(/^apspec: No scenarios to run: \S*empty select nothing/);
    const tags = await apspec([f('load.feature'), '--tags', '@no-such-tag', '--out', out()]);
    expect(tags.code).toBe(2);
    expect(tags.out).toMatch(/No scenarios to run: .* with tags "@no-such-tag" select nothing/);
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

describe('a failing expectation', () => {
  const EXPECTED = /expected "the vfio_ap module is loaded" to fail with ENODEV, but the simulated stack accepted it \(returned 0\)\n\s+Last 8 of 8 trace events \(policy v11\):\n\s+\[ap-bus\] ap_module_init/;

  const formats = perFormatter(() => [f('expectation.feature')]);
  it.each(FORMATTERS)('cucumber-js --format %s: expected, what the kernel did, the trace tail; exit 1; no stack', (format) => {
    const r = formats(format);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(EXPECTED);
    expect(r.out).toContain('[vfio-ap] vfio_ap_init(vfio_ap loaded) -> 0');
    expect(r.out).not.toMatch(STACK);
  });

  it('npm start: a changed verdict prints the same and exits 1', async () => {
    const o = out();
    const verdicts = write('expected-verdicts.json', `${JSON.stringify({ [`${relative(ROOT, f('expectation.feature'))}:2`]: { v11: 'passed' } })}\n`);
    const r = await apspec([f('expectation.feature'), '--policy', 'v11', '--out', o, '--verdicts', verdicts]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/1 verdict differs from/);
    expect(r.out).toMatch(/expectation\.feature:2 {2}loading vfio_ap fails\n {2}failed under v11, at: Then it fails with ENODEV/);
    // The report shows the whole trace under the steps, so npm start shows the message without
    // the trace tail cucumber-js prints, then the trace lines that explain it.
    expect(r.out).toMatch(/expected "the vfio_ap module is loaded" to fail with ENODEV, but the simulated stack accepted it \(returned 0\)\n {4}> \[/);
    expect(r.out).toContain('    > [vfio-ap] vfio_ap_init(vfio_ap loaded) -> 0');
    expect(r.out).not.toMatch(STACK);
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
