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
 * The cases split over two files that vitest runs side by side: this one, and
 * cli-errors-processes.test.ts (policies that misbehave, steps missing their set-up, Ctrl-C); the
 * feature files and the ways to run both CLIs are in cli-harness.ts.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_IDS } from '../../src/policies';
import { ROOT, STACK, FORMATTERS, f, write, cucumber, apspec, perFormatter, out, useCliFixtures } from './cli-harness';

useCliFixtures();

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
