/**
 * The harness of the error tests through the real command lines (cli-errors.test.ts and
 * cli-errors-processes.test.ts, two files so vitest runs them side by side): the feature files each
 * case runs, written to a temp directory by useCliFixtures(), and the ways to run cucumber-js and
 * apspec's CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from '../../src/cli/main';

export const ROOT = resolve(__dirname, '../..');
export const CUCUMBER = join(ROOT, 'node_modules/.bin/cucumber-js');
export const BROKEN_POLICIES = join(__dirname, 'fixtures/broken-policies.ts');
/** A stack frame as Node prints it. */
export const STACK = /\n\s+at .+[(:]\d+/;
export const FORMATTERS = ['progress', 'summary', 'pretty'] as const;

export let dir: string;
export const f = (name: string) => join(dir, name);

export function write(name: string, text: string): string {
  writeFileSync(f(name), text);
  return f(name);
}

export interface Run {
  code: number | null;
  out: string;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', APSPEC_DEBUG: '', ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
export const cucumber = (args: string[], env?: Record<string, string>) => run(CUCUMBER, args, env);
/** `npm start -- <args>` as a process: only for what needs one (a `node -r` preload). */
export const apspecProcess = (args: string[], preload: string[] = []) =>
  run(process.execPath, ['-r', 'tsx/cjs', ...preload.flatMap((p) => ['-r', p]), 'src/cli/main.ts', 'run', ...args]);

/** `npm start -- <args>` in this process: runCli is what main.ts runs; stdout then stderr, as a process's would read. */
export async function apspec(args: string[]): Promise<Run> {
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
export function cucumberFormats(args: string[]): { code: number | null; outputs: Record<(typeof FORMATTERS)[number], string>; console: string } {
  const files = Object.fromEntries(FORMATTERS.map((fmt) => [fmt, join(mkdtempSync(join(dir, 'fmt-')), `${fmt}.txt`)])) as Record<(typeof FORMATTERS)[number], string>;
  const r = cucumber([...args, ...FORMATTERS.flatMap((fmt) => ['--format', `${fmt}:${files[fmt]}`])]);
  const outputs = Object.fromEntries(FORMATTERS.map((fmt) => [fmt, existsSync(files[fmt]) ? readFileSync(files[fmt], 'utf8') : ''])) as Record<(typeof FORMATTERS)[number], string>;
  return { code: r.code, outputs, console: r.out };
}

/** One cucumber-js process for a describe block's per-formatter cases: `(format) => { code, out }`, run on first use. */
export function perFormatter(args: () => string[]): (format: (typeof FORMATTERS)[number]) => Run {
  let result: ReturnType<typeof cucumberFormats> | undefined;
  return (format) => {
    result ??= cucumberFormats(args());
    // Nothing on the console may carry a stack either.
    expect(result.console).not.toMatch(STACK);
    return { code: result.code, out: result.outputs[format] };
  };
}
export const out = () => mkdtempSync(join(dir, 'out-'));

/**
 * Writes the feature files into a fresh temp directory before the file's tests, and removes it
 * after. (Not indented: the template literals are the files' exact text, columns included.)
 */
export function useCliFixtures(): void {
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
}
