/**
 * Hostile inputs, as a spec writer or a policy author would produce them (issue 12). Each case asserts
 * the outcome a user needs: the exit code, one paragraph that names the file, line, option or path and
 * what to do, no JavaScript stack, the previous report untouched and nothing left behind.
 *
 * `npm start` runs in-process through runCli (the same function the process runs: same argv, same exit
 * code, same paragraphs); a process is spawned only where its own behaviour is the subject: the
 * cucumber-js CLI and its plugin, policy files that do not load (a copy of the project with the broken
 * file registered), preloaded broken policies (they must reach the worker threads).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { explore } from '../../src/explore/explore';
import { captureStream } from '../report/fixture';

const ROOT = resolve(__dirname, '../..');
const CUCUMBER = join(ROOT, 'node_modules/.bin/cucumber-js');
/** A stack frame as Node prints it. */
const STACK = /\n\s+at .+[(:]\d+/;

let dir: string;
const f = (name: string) => join(dir, name);
function write(name: string, text: string): string {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(f(name), text);
  return f(name);
}

/** `npm start -- <args>` in-process: the start script passes `run` first. */
async function npmStart(args: string[]): Promise<{ code: number; out: string }> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(['run', ...args], { cwd: ROOT, stdout, stderr, env: {}, signal: new AbortController().signal });
  return { code, out: `${stdout.text()}${stderr.text()}` };
}

function spawn(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', APSPEC_DEBUG: '', ...opts.env }, timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every file under `d` with its content: the previous report, to compare before and after. */
function snapshot(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    for (const e of readdirSync(p)) {
      const q = join(p, e);
      if (statSync(q).isDirectory()) walk(q);
      else out[relative(d, q)] = readFileSync(q, 'utf8');
    }
  };
  walk(d);
  return out;
}

/** An output directory holding a previous report. */
function previousReport(): string {
  const out = mkdtempSync(join(dir, 'reports-'));
  writeFileSync(join(out, 'index.html'), '<p>the previous report</p>\n');
  writeFileSync(join(out, 'policy-matrix.json'), '{"previous": true}\n');
  mkdirSync(join(out, 'v11'));
  writeFileSync(join(out, 'v11', 'messages.ndjson'), '{}\n');
  return out;
}

/** The outcome every refused run must have: the code, the paragraph, no stack, the report as it was. */
function expectRefused(r: { code: number | null; out: string }, code: number, paragraph: RegExp, out?: string, before?: Record<string, string>) {
  expect(r.out).toMatch(paragraph);
  expect(r.out).not.toMatch(STACK);
  expect(r.out).not.toMatch(/internal error/);
  expect(r.code).toBe(code);
  if (out && before) expect(snapshot(out)).toEqual(before); // intact, and no .tmp-* or lock left behind
}

const LOAD = `Feature: load
  Scenario: loading vfio_ap
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apspec-hostile-'));
  write('load.feature', LOAD);
  write(
    'scenaro.feature',
    `Feature: a misspelled Scenario keyword
  Scenario: loading vfio_ap
  Scenaro: loading vfio_ap twice
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds
`,
  );
  write(
    'gvien.feature',
    `Feature: a misspelled Given
  Scenario: loading vfio_ap without AP instructions
    Gvien an s390 host without AP instructions
    When the vfio_ap module is loaded
    Then it fails with ENODEV
`,
  );
  write(
    'duplicate.feature',
    `Feature: two scenarios with one name
  Scenario: X
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds

  Scenario: X #2
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds

  Scenario: X
    Given an s390 host without AP instructions
    When the vfio_ap module is loaded
    Then it succeeds
`,
  );
  write(
    'undefined.feature',
    `Feature: a step outside the vocabulary
  Scenario: a typo
    Given an s390 host
    And adaptors 2 and 3 are reserved for pass-through
`,
  );
  write('long-step.feature', `Feature: long\n  Scenario: a 4,000-character step\n    Given an s390 host\n    And ${'adapter 5 and '.repeat(300).slice(0, 4000)}\n`);
  write('huge-step.feature', `Feature: huge\n  Scenario: a 1 MB step\n    Given an s390 host\n    And ${'x 1 '.repeat(262_144)}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('feature files that Gherkin accepts but the writer did not mean', { timeout: 60_000 }, () => {
  it('npm start: a misspelled "Scenaro:" stops the run naming file:line and the keyword, exit 1, report intact', async () => {
    const out = previousReport();
    const before = snapshot(out);
    const r = await npmStart([f('scenaro.feature'), '--policy', 'v11', '--out', out]);
    expectRefused(r, 1, /scenaro\.feature:3: "Scenaro: loading vfio_ap twice" is read as description text, not as a Scenario.*Write "Scenario:"/, out, before);
    expect(r.out).toMatch(/nothing was run/);
  });

  it('npm start: a misspelled "Gvien" stops the run naming file:line and the keyword, exit 1, report intact', async () => {
    const out = previousReport();
    const before = snapshot(out);
    const r = await npmStart([f('gvien.feature'), '--policy', 'v11', '--out', out]);
    expectRefused(r, 1, /gvien\.feature:3: "Gvien an s390 host without AP instructions" is read as description text, not as a step: "Gvien" looks like the keyword "Given"/, out, before);
  });

  it('npm start: two scenarios named "X" (and an "X #2") stop the run naming both lines, exit 1, report intact', async () => {
    const out = previousReport();
    const before = snapshot(out);
    const r = await npmStart([f('duplicate.feature'), '--policy', 'v11', '--out', out]);
    expectRefused(r, 1, /duplicate\.feature:12: the scenario name "X" is already used at line 2 of this feature/, out, before);
    expect(r.out).not.toMatch(/"X #2" is already used/);
  });

  it('npx cucumber-js: the same check runs before any scenario (plugin), exit 1', () => {
    const r = spawn(CUCUMBER, [f('scenaro.feature'), f('gvien.feature')]);
    expectRefused(r, 1, /^apspec: The feature check found 2 problems; nothing was run:\n {2}\S*scenaro\.feature:3: .*\n {2}\S*gvien\.feature:3: /);
    expect(r.out).not.toMatch(/\d+ scenarios? \(/); // no scenario ran
  });

  it('npx cucumber-js: a step outside the vocabulary is named with file:line and the closest phrase before the run; the snippet uses {ids}; exit 1', () => {
    const r = spawn(CUCUMBER, [f('undefined.feature')]);
    expect(r.out).toMatch(/(?:^|\n)apspec: The feature check found 1 problem \(the run goes on, and fails\):\n {2}\S*undefined\.feature:4: no step of the vocabulary matches "And adaptors 2 and 3 are reserved for pass-through"\. Did you mean: "Given adapters \{ids\} are reserved for pass-through"/);
    expect(r.out).toMatch(/'adaptors \{ids\} are reserved for pass-through'/);
    expect(r.out).not.toMatch(STACK);
    expect(r.code).toBe(1);
  });
});

describe('undefined steps of hostile length', { timeout: 60_000 }, () => {
  it.each([
    ['4,000 characters', 'long-step.feature', 20_000],
    ['1 MB', 'huge-step.feature', 30_000],
  ])('npx cucumber-js: an undefined step of %s gets a bounded snippet and ends (exit 1)', (_what, file, ms) => {
    const t0 = Date.now();
    const r = spawn(CUCUMBER, [f(file), '--format', 'summary']);
    expect(Date.now() - t0).toBeLessThan(ms);
    // test(), not toMatch: a failure must not print a megabyte of step text.
    expect(/This step is \d+ characters long; the snippet covers its first 240\./.test(r.out)).toBe(true);
    expect(r.code).toBe(1);
  });
});

describe('options', { timeout: 60_000 }, () => {
  it('npm start --tags with a syntax error: cucumber\'s own message, exit 2, report intact', async () => {
    const out = previousReport();
    const before = snapshot(out);
    const r = await npmStart([f('load.feature'), '--tags', '@thread and (', '--out', out]);
    expectRefused(r, 2, /^apspec: --tags: Tag expression "@thread and \(" could not be parsed because of syntax error: Unmatched \(\. Write a tag expression such as/, out, before);
  });

  it('npx cucumber-js --tags with a syntax error: the same message, exit 2', () => {
    const r = spawn(CUCUMBER, [f('load.feature'), '--tags', 'not']);
    expectRefused(r, 2, /^apspec: --tags: Tag expression "not" could not be parsed because of syntax error: Expected operand\./);
  });

  it('npm start --out under /proc: refused at once naming the path (it used to spin forever), exit 1', async () => {
    const t0 = Date.now();
    const r = await npmStart([f('load.feature'), '--policy', 'v11', '--out', '/proc/apspec-hostile/reports']);
    expectRefused(r, 1, /^apspec: Cannot write the report to \/proc\/apspec-hostile\/reports: .*Choose another directory with --out <dir>/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('npm run explore -- --out under /proc: one paragraph naming the path, exit 1', async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['explore', '--policy', 'v11', '--depth', '2', '--out', '/proc/apspec-hostile/cx'], { cwd: ROOT, stdout, stderr, env: {}, signal: new AbortController().signal });
    expectRefused({ code, out: stderr.text() }, 1, /apspec: cannot write to \/proc\/apspec-hostile\S*: no such file or directory, and none can be created there \(ENOENT\)/);
  });

  it('npm start --out through a file: names the path and why, exit 1, nothing run', async () => {
    const file = write('a-file', 'not a directory\n');
    const r = await npmStart([f('load.feature'), '--policy', 'v11', '--out', join(file, 'reports')]);
    expectRefused(r, 1, /Cannot write the report to \S*a-file\/reports: a part of that path is a file, not a directory \(ENOTDIR\)/);
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it.each([
    [['explore', '--depth', '2.5'], /^apspec: --depth must be a whole number \(digits only, no fraction\) >= 0, not "2\.5"/],
    [['explore', '--runs', '1e3', '--random'], /^apspec: --runs must be a whole number \(digits only, no fraction\) >= 0, not "1e3"/],
    [['explore', '--seed', '0x10'], /^apspec: --seed must be a whole number/],
    [['bench', '--runs', '1.5'], /^apspec: --runs must be a whole number/],
  ])('%j: a fraction (or another notation) for an integer option is refused, exit 2', async (argv, message) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { cwd: ROOT, stdout, stderr, env: {}, signal: new AbortController().signal });
    expectRefused({ code, out: stderr.text() }, 2, message);
  });
});

describe('expected verdicts', { timeout: 60_000 }, () => {
  it('a corrupt verdicts file: names it, and the advice (delete it, then --accept) works', async () => {
    const out = previousReport();
    const verdicts = write('corrupt/expected-verdicts.json', '{"thread/r1": {"v11": "passed"},');
    const r = await npmStart([f('load.feature'), '--policy', 'v11', '--out', out, '--verdicts', verdicts]);
    expect(r.out).toMatch(/\S*corrupt\/expected-verdicts\.json is not valid JSON .*delete it and record the verdicts again with a complete run: {2}npm start -- --accept/);
    expect(r.out).not.toMatch(STACK);
    expect(r.out).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    // The advice: delete it, then accept (here on the one feature, as the run was).
    rmSync(verdicts);
    const accepted = await npmStart([f('load.feature'), '--policy', 'v11', '--out', out, '--verdicts', verdicts, '--accept']);
    expect(accepted.code).toBe(0);
    expect(Object.values(JSON.parse(readFileSync(verdicts, 'utf8')) as Record<string, Record<string, string>>)).toEqual([{ v11: 'passed' }]);
  });

  it('a verdicts file whose scenario entry is not an object: names the entry, no TypeError', async () => {
    const verdicts = write('null-entry/expected-verdicts.json', '{"load.feature:2": null}');
    const r = await npmStart([f('load.feature'), '--policy', 'v11', '--out', previousReport(), '--verdicts', verdicts]);
    expectRefused(r, 1, /"load\.feature:2" must map policies to statuses, not null/);
  });

  it('--accept refuses a run with an undefined step, lists the cell, and leaves the verdicts file as it was', async () => {
    const verdicts = write('accept/expected-verdicts.json', '{}\n');
    const r = await npmStart([f('undefined.feature'), '--policy', 'v11', '--out', previousReport(), '--verdicts', verdicts, '--accept']);
    expectRefused(r, 1, /--accept records only verdicts \(passed, failed, not-applicable\); nothing was recorded, because 1 cell is not one:\n {2}\S*undefined\.feature:2 {2}a typo {2}under v11: undefined/);
    expect(readFileSync(verdicts, 'utf8')).toBe('{}\n');
  });
});

describe('merge', { timeout: 60_000 }, () => {
  it('npm start -- merge a.json b.json works as the README says (the start script passes "run" first)', async () => {
    const shard = mkdtempSync(join(dir, 'shard-'));
    expect((await npmStart([f('load.feature'), '--policy', 'v11', '--out', shard])).code).toBe(0);
    const merged = mkdtempSync(join(dir, 'merged-'));
    const r = await npmStart(['merge', join(shard, 'policy-matrix.json'), join(shard, 'policy-matrix.json'), '--out', merged]);
    expect(r.out).not.toMatch(/Feature path "merge"/);
    expect(r.code).toBe(0);
    expect(existsSync(join(merged, 'index.html'))).toBe(true);
  });

  it('merge into a path that cannot be a directory (/dev/full/...): names the path and what to do, exit 1', async () => {
    const shard = mkdtempSync(join(dir, 'shard-'));
    expect((await npmStart([f('load.feature'), '--policy', 'v11', '--out', shard])).code).toBe(0);
    const r = await npmStart(['merge', join(shard, 'policy-matrix.json'), '--out', '/dev/full/merged']);
    expectRefused(r, 1, /^apspec: cannot write to \/dev\/full\/merged: a part of that path is a file, not a directory \(ENOTDIR\)\. Nothing was published.*write elsewhere with --out <dir>/);
  });

  it('merge of a file that is not a policy-matrix.json: names it, exit 2, nothing written', async () => {
    const bad = write('bad-shard.json', '[1, 2, 3]');
    const merged = previousReport();
    const before = snapshot(merged);
    const r = await npmStart(['merge', bad, '--out', merged]);
    expectRefused(r, 2, /bad-shard\.json/, merged, before);
  });
});

describe('policies that misbehave', { timeout: 120_000 }, () => {
  // Preloaded into the process and (through execArgv) its worker threads, based on linux-4.20.
  const preload = () =>
    write(
      'odd-policies.ts',
      `import { POLICIES, POLICY_IDS } from ${JSON.stringify(join(ROOT, 'src/policies'))};
const cyclic: Record<string, unknown> = {}; cyclic.self = cyclic;
const make = (id: string, value: () => unknown) => ({ id, title: id, source: 'hostile test', rationale: 'misbehaves on purpose', base: 'linux-4.20', choices: { 'vfio_ap.init': value } });
const registry = POLICIES as unknown as Record<string, unknown>;
for (const p of [make('cyclic', () => cyclic), make('bigint', () => 42n), make('errno', () => ({ ok: false, errno: 'EFOO', why: 'made up' }))]) {
  if (registry[p.id]) continue;
  registry[p.id] = p;
  (POLICY_IDS as string[]).push(p.id);
}
`,
    );

  it('npm start: a policy returning a cyclic object, a BigInt or a made-up errno is a "policy error" cell, the others run, exit 1', () => {
    const out = mkdtempSync(join(dir, 'odd-'));
    const r = spawn(process.execPath, ['-r', 'tsx/cjs', '-r', preload(), 'src/cli/main.ts', 'run', f('load.feature'), '--policy', 'cyclic,bigint,errno,v11', '--out', out]);
    expect(r.out).toMatch(/policy "cyclic" at decision point vfio_ap\.init: its function returned an object JSON cannot show/);
    expect(r.out).toMatch(/policy "bigint" at decision point vfio_ap\.init: its function returned the BigInt 42n/);
    expect(r.out).toMatch(/policy "errno" at decision point vfio_ap\.init: its function returned the errno "EFOO", which the simulated kernel does not know/);
    expect(r.out).not.toMatch(STACK);
    expect(r.code).toBe(1);
    const matrix = JSON.parse(readFileSync(join(out, 'policy-matrix.json'), 'utf8')) as { scenarios: { results: Record<string, { status: string }> }[] };
    expect(matrix.scenarios[0]!.results.cyclic!.status).toBe('policy-error');
    expect(matrix.scenarios[0]!.results.bigint!.status).toBe('policy-error');
    expect(matrix.scenarios[0]!.results.errno!.status).toBe('policy-error');
    expect(matrix.scenarios[0]!.results.v11!.status).toBe('passed');
  });

  describe('policy files that do not load, in a copy of the project', () => {
    let copy: string;
    beforeAll(() => {
      copy = mkdtempSync(join(dir, 'project-'));
      for (const entry of ['src', 'steps', 'cucumber.js', 'tsconfig.json', 'package.json']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      writeFileSync(join(copy, 'load.feature'), LOAD);
      const policies = join(copy, 'src/policies');
      writeFileSync(join(policies, 'syntax.ts'), "import type { Policy } from '../sim/decisions';\nexport default {\n  id: 'syntax',\n  choices: { 'vfio_ap.init': 'none' \n} satisfies Policy;\n");
      writeFileSync(join(policies, 'throws.ts'), "const table: Record<string, string> = {};\nexport default table.missing!.toString();\n");
      writeFileSync(join(policies, 'copy-of-v11.ts'), readFileSync(join(policies, 'v11.ts'), 'utf8'));
      const index = join(policies, 'index.ts');
      const text = readFileSync(index, 'utf8');
      const end = text.indexOf('] as const;');
      writeFileSync(index, `${text.slice(0, end)}  ['syntax', './syntax'],\n  ['throws', './throws'],\n  ['v12', './copy-of-v11'],\n  ['v10-apie', './v10-apie'],\n${text.slice(end)}`);
    });

    const start = (args: string[]) => spawn(process.execPath, ['-r', 'tsx/cjs', 'src/cli/main.ts', 'run', 'load.feature', '--out', join(copy, 'out'), ...args], { cwd: copy });

    it.each([
      ['a syntax error', 'syntax', /^apspec: src\/policies\/syntax\.ts \(policy "syntax"\) does not load: src\/policies\/syntax\.ts:5:\d+: Expected "}" but found ";"\. Fix the file; only runs that select "syntax" fail until then\./],
      ['a throw at import', 'throws', /^apspec: src\/policies\/throws\.ts \(policy "throws"\) does not load: src\/policies\/throws\.ts:2: it throws TypeError: Cannot read properties of undefined/],
      ['a copy that kept the id v11', 'v12', /^apspec: src\/policies\/copy-of-v11\.ts is registered as "v12" but its id is "v11": a copied policy keeps the id of its original/],
      ['a second registry entry for one id', 'v10-apie', /^apspec: src\/policies\/index\.ts registers the id "v10-apie" twice \(the second time for \.\/v10-apie\.ts\)/],
    ])('npm start --policy of a file with %s: the file and the first line of the error, exit 1, no esbuild or Node stack', (_what, id, message) => {
      const r = start(['--policy', id]);
      expectRefused(r, 1, message);
      expect(r.out).not.toMatch(/Transform failed|esbuild/);
    });

    it('npm start --policy v11 in the same project runs: the broken files fail only the runs that select them', () => {
      const r = start(['--policy', 'v11']);
      expect(r.out).not.toMatch(/does not load/);
      expect(r.code).toBe(0);
    });

    it('npx cucumber-js -p syntax: one paragraph before any scenario, exit 1', () => {
      const r = spawn(CUCUMBER, ['-p', 'syntax', 'load.feature'], { cwd: copy });
      expectRefused(r, 1, /^apspec: policy "syntax" cannot be used: src\/policies\/syntax\.ts \(policy "syntax"\) does not load: src\/policies\/syntax\.ts:5:/);
    });
  });
});

describe('the explorer', { timeout: 60_000 }, () => {
  it('a search that reaches its memory bound stops, says so, and still writes what it found (was: out of memory, every finding lost)', async () => {
    const out = mkdtempSync(join(dir, 'explore-'));
    const stderr = captureStream();
    let checks = 0;
    const summary = await explore(
      // R3 has no counterexample under v10, so the search goes on after R1's (two steps) until the bound.
      { policies: ['v10'], invariants: ['R1', 'R3'], depth: 1000, outDir: out, memoryExceeded: () => ++checks > 3 },
      { stdout: captureStream(), stderr },
    );
    expect(summary.runs[0]!.stoppedBy).toBe('memory');
    expect(stderr.text()).toMatch(/explore v10: stopped at depth \d+ after [\d,]+ states: the search holds .* heap limit\. What it found so far is written/);
    expect(existsSync(join(out, 'v10', 'R1.feature'))).toBe(true);
  });
});
