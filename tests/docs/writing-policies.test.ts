/**
 * docs/writing-policies.md, followed literally in a copy of the project: save the worked example as
 * the file the doc names, add the registry line the doc shows, then run the parts of `npm test` a new
 * policy touches (typecheck of src/policies, the registry-driven unit tests, cucumber-js with the
 * policy's profile, `npm start --policy`). Adding a policy used to break `npm test` (ten type errors
 * and ten failing tests in src/sim/policies.test.ts, which listed five policies).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const DOC = readFileSync(join(ROOT, 'docs/writing-policies.md'), 'utf8');
let copy: string;

/** The doc's policy file: the path in "Save it as `...`" and the one ```ts block. */
function docPolicy(): { path: string; text: string } {
  const path = /Save it as `([^`]+\.ts)`/.exec(DOC)?.[1];
  const text = /```ts\n([\s\S]*?)```/.exec(DOC)?.[1];
  if (!path || !text) throw new Error('docs/writing-policies.md no longer names a file and a ```ts block');
  return { path, text };
}

/** The registry line the doc shows after "Register it". */
function docRegistryLine(): string {
  const line = /Register it[\s\S]*?```\n(.*)\n```/.exec(DOC)?.[1];
  if (!line) throw new Error('docs/writing-policies.md no longer shows the registry line');
  return line;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: copy, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', APSPEC_DEBUG: '', ...env }, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'apspec-new-policy-'));
  for (const entry of ['src', 'steps', 'features', 'cucumber.js', 'tsconfig.json', 'package.json', 'vitest.config.ts'])
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const { path, text } = docPolicy();
  writeFileSync(join(copy, path), text);
  const index = join(copy, 'src/policies/index.ts');
  const registry = readFileSync(index, 'utf8');
  const end = registry.indexOf('] as const;');
  expect(end, 'src/policies/index.ts has the REGISTRY_FILES table the doc describes').toBeGreaterThan(0);
  writeFileSync(index, `${registry.slice(0, end)}${docRegistryLine()}\n${registry.slice(end)}`);
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('adding a policy as docs/writing-policies.md says', { timeout: 180_000 }, () => {
  it('type-checks: the policy file and the registry compile', () => {
    writeFileSync(join(copy, 'tsconfig.policies.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/policies', 'tests/profiles.test.ts'] }));
    const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.policies.json']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('the registry-driven unit tests include it and pass', () => {
    const r = run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'src/sim/policies.test.ts', '--reporter=verbose', '--outputFile.json=/dev/null'], { CI: '1' });
    expect(r.out).toContain('crycb-pointer chooses at every decision point');
    expect(r.out).toContain('crycb-pointer: the R1-R5 scenarios run to a verdict');
    expect(r.out).not.toMatch(/\d+ failed/);
    expect(r.code).toBe(0);
  });

  it('has a cucumber profile, and passes R1-R5 under it as the doc says', () => {
    const r = run(join(ROOT, 'node_modules/.bin/cucumber-js'), ['-p', 'crycb-pointer', 'features/thread', '--format', 'summary']);
    expect(r.out).toMatch(/5 scenarios \(5 passed\)/);
    expect(r.code).toBe(0);
  });

  it('npm start runs it as a column of its own (new verdicts to accept, no failure)', () => {
    const r = run(process.execPath, ['-r', 'tsx/cjs', 'src/cli/main.ts', 'run', '--policy', 'crycb-pointer', 'features/thread', '--out', join(copy, 'out')]);
    expect(r.out).toMatch(/crycb-pointer/);
    expect(r.out).not.toMatch(/\n\s+at .+[(:]\d+/);
    expect(r.code).toBe(0);
  });
});
