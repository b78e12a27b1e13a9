/**
 * The module arrows of conventions.md §5, checked against every import in src/ and steps/.
 *
 * - src/sim layers: firmware <- ap-bus <- kvm <- vfio-ap <- qemu / guest. A layer imports its own
 *   folder and those to its left, never those to its right.
 * - src/sim root files (errno, trace, decisions, bitmap, apqn, api, kernel ...) are foundations any
 *   layer may import. A foundation imports no layer, except that `import type` of a layer ranks the
 *   foundation just above that layer (kernel.ts holds the Machine: firmware may not import kernel.ts,
 *   every layer to its right may).
 * - The facade (system.ts, facades.ts, snapshot.ts) may import everything; nothing else in src/sim imports it.
 * - src/sim imports only relative paths inside src/sim: no `node:*`, no packages (chai, @cucumber ...),
 *   nothing from src/report, src/cli, src/policies, src/explore or steps/.
 * - src/policies imports only src/sim/decisions (plus `import type` from src/sim/api) and its siblings.
 *
 * - Every other folder (src/<folder>, steps/) has an allow-list of what its production code may
 *   import, in the way Playwright's DEPS lists work (DEPS below): repository folders or files, packages,
 *   `node:*`. Outside src/sim the simulator is entered by its front door, src/sim/api.ts; helpers two
 *   sides share live where both may import them (src/common: errors, argv, atomic writes, the command
 *   contract; src/contract: what steps write and the report reads). A folder without an entry is an error.
 *
 * Test code (`*.test.ts`, `src/sim/__test__/`) is outside the production graph and exempt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

export interface ImportRef {
  readonly spec: string;
  readonly typeOnly: boolean;
}

/** Every module specifier a file names: import/export ... from, import x = require, import(), require(). */
export function importsOf(file: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) out.push({ spec: e.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) out.push({ spec: arg.literal.text, typeOnly: true });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        out.push({ spec: (node.arguments[0] as ts.StringLiteral).text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export const LAYER_RANK: Readonly<Record<string, number>> = { firmware: 0, 'ap-bus': 1, kvm: 2, 'vfio-ap': 3, qemu: 4, guest: 4 };
/**
 * Root files of src/sim that compose the layers and may import everything: system.ts (createSystem),
 * facades.ts (the SystemApi classes system.ts instantiates)
 * snapshot.ts (cloneSystem/stateKey, which rebuilds a System layer by layer) and api.ts (the front
 * door: everything outside src/sim imports the simulator through it). No layer and no foundation may
 * import them.
 */
export const FACADE = new Set(['system.ts', 'facades.ts', 'snapshot.ts', 'api.ts']);

/**
 * The allow-lists: folder -> what its non-test files may import besides their own folder. A folder entry
 * covers everything under it; `node:*` every Node built-in; a package name its subpaths too.
 * src/sim has the layer rules above instead; src/policies the policy rule (plus REGISTRY_DEPS).
 */
export const DEPS: Readonly<Record<string, readonly string[]>> = {
  // Neutral helpers: import nothing of the project (cucumber's tag parser checks --tags).
  'src/common': ['node:*', '@cucumber/tag-expressions'],
  // Steps <-> report contract: types of the simulator's trace, through the front door.
  'src/contract': ['src/sim/api.ts', 'src/sim/trace.ts'],
  // The feature check: cucumber's own parser and messages.
  'src/lint': ['node:*', '@cucumber/gherkin', '@cucumber/messages'],
  // Reports read the simulator's trace and decision points (foundations re-exported by api.ts).
  'src/report': ['src/common', 'src/contract', 'src/sim/api.ts', 'src/sim/decisions.ts', 'src/sim/trace.ts', 'src/policies/index.ts', 'src/runner/write-atomic.ts', 'node:*', '@cucumber/messages'],
  'src/runner': ['src/common', 'src/contract', 'src/lint', 'src/report', 'src/policies/index.ts', 'src/sim/api.ts', 'node:*', '@cucumber/cucumber', '@cucumber/messages', 'tsx/cjs'],
  // The command line: commands run the runner and write reports; plug-ins are loaded by path.
  'src/cli': ['src/common', 'src/runner', 'src/report', 'src/policies/index.ts', 'node:*'],
  // The explorer: the simulator by its front door, the policies, the shared helpers; no CLI, no report.
  'src/explore': ['src/common', 'src/sim/api.ts', 'src/policies/index.ts', 'node:*', 'fast-check'],
  'src/bench': ['src/common', 'src/runner', 'src/report', 'src/explore', 'src/perf', 'src/policies/index.ts', 'src/sim/api.ts', 'src/sim/system.ts', 'src/sim/decisions.ts', 'node:*', '@cucumber/cucumber', '@cucumber/gherkin', '@cucumber/messages'],
  'src/browser': ['src/common', 'src/runner', 'node:*', 'playwright-core'],
  // The step catalogue generator loads the step definitions; the screenshots run a report in a browser.
  'src/docs': ['steps', 'src/browser', 'src/report', 'src/runner', 'node:*', '@cucumber/cucumber', '@cucumber/gherkin', '@cucumber/gherkin-utils', '@cucumber/messages'],
  'src/perf': ['node:*'],
  // Steps: the simulator by its front door, the policies, the contract with the report, the feature check (run-guard).
  steps: ['src/sim/api.ts', 'src/policies/index.ts', 'src/contract', 'src/lint', 'node:*', '@cucumber/cucumber', 'chai'],
};

/** The registry loads policy files by path and registers a TypeScript hook where none is (src/policies/index.ts). */
const REGISTRY_DEPS = ['node:fs', 'node:path', 'tsx/cjs/api'];

/** The DEPS folder a file belongs to: `src/<folder>` or `steps`. */
function depsFolderOf(rel: string): string | undefined {
  if (rel.startsWith('steps/')) return 'steps';
  const m = /^src\/([^/]+)\//.exec(rel);
  return m ? `src/${m[1]}` : undefined;
}

function allows(entries: readonly string[], target: string): boolean {
  return entries.some((e) =>
    e === 'node:*' ? target.startsWith('node:') : target === e || target.startsWith(`${e}/`),
  );
}

/**
 * Check the DEPS allow-lists over a set of files (src/sim and src/policies have their own rules above).
 * Pure, like `violations`; `known` is the set of repository files, to resolve `../policies` to its index.ts.
 */
export function depsViolations(files: readonly SourceFile[], known: ReadonlySet<string> = new Set(files.map((f) => f.rel))): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (isTestCode(f.rel) || f.rel.startsWith('src/sim/') || f.rel.startsWith('src/policies/')) continue;
    const folder = depsFolderOf(f.rel);
    if (!folder) continue;
    const entries = DEPS[folder];
    if (!entries) {
      out.push(`${f.rel}: folder ${folder} has no entry in DEPS (tests/architecture.test.ts): say what it may import`);
      continue;
    }
    for (const imp of f.imports) {
      const target = imp.spec.startsWith('.') ? resolveKnown(f.rel, imp.spec, known) : imp.spec;
      if (depsFolderOf(target) === folder) continue;
      if (!allows(entries, target))
        out.push(`${f.rel} imports '${imp.spec}': ${folder} may import only ${entries.join(', ')} (DEPS in tests/architecture.test.ts)${target.startsWith('src/sim/') ? '; enter the simulator by its front door, src/sim/api.ts' : ''}`);
    }
  }
  return out;
}

/** Like `resolve`, but a folder import (`../policies`) resolves to its index.ts when that is a known file. */
function resolveKnown(from: string, spec: string, known: ReadonlySet<string>): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const c of [base, `${base}.ts`, `${base}/index.ts`, `${base}.cjs`, `${base}.js`]) if (known.has(c)) return c;
  return resolve(from, spec);
}

function isTestCode(rel: string): boolean {
  return /\.test\.ts$/.test(rel) || rel.includes('/__test__/');
}

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes: `src/sim/kvm/kvm.ts`. */
  readonly rel: string;
  readonly imports: readonly ImportRef[];
}

/** Resolve a relative specifier to a repository-relative path (`.ts` or `/index.ts`). */
function resolve(from: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return /\.(ts|js|json)$/.test(base) ? base : `${base}.ts`;
}

function simRoleOf(rel: string): { kind: 'layer'; layer: string } | { kind: 'root'; file: string } | undefined {
  const m = /^src\/sim\/(.+)$/.exec(rel);
  if (!m) return undefined;
  const parts = m[1]!.split('/');
  if (parts.length === 1) return { kind: 'root', file: parts[0]! };
  return { kind: 'layer', layer: parts[0]! };
}

/**
 * Check the arrows over a set of files; returns one line per violation. Pure, so it can be tested
 * on synthetic inputs.
 */
export function violations(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  const byRel = new Map(files.map((f) => [f.rel, f]));
  // A root file's rank: -1 if it imports no layer, else just above the highest layer it type-imports.
  const rootRank = (file: string, seen = new Set<string>()): number => {
    const rel = `src/sim/${file}`;
    if (seen.has(rel)) return -1;
    seen.add(rel);
    let rank = -1;
    for (const imp of byRel.get(rel)?.imports ?? []) {
      if (!imp.spec.startsWith('.')) continue;
      const role = simRoleOf(resolve(rel, imp.spec));
      if (role?.kind === 'layer') rank = Math.max(rank, (LAYER_RANK[role.layer] ?? 99) + 0.5);
      else if (role?.kind === 'root') rank = Math.max(rank, rootRank(role.file, seen));
    }
    return rank;
  };

  for (const f of files) {
    if (isTestCode(f.rel)) continue;
    const role = simRoleOf(f.rel);
    for (const imp of f.imports) {
      const where = `${f.rel} imports '${imp.spec}'`;
      if (f.rel.startsWith('src/sim/')) {
        if (!imp.spec.startsWith('.')) {
          out.push(`${where}: src/sim imports only its own modules (no node:*, no packages)`);
          continue;
        }
        const target = resolve(f.rel, imp.spec);
        const t = simRoleOf(target);
        if (!t) {
          out.push(`${where}: src/sim must not import outside src/sim (${target})`);
          continue;
        }
        if (role?.kind === 'root' && FACADE.has(role.file)) continue;
        if (t.kind === 'root' && FACADE.has(t.file)) {
          out.push(`${where}: only the composition root may import the facade ${t.file}`);
          continue;
        }
        if (t.kind === 'layer' && !(t.layer in LAYER_RANK)) {
          out.push(`${where}: unknown layer folder "${t.layer}" (add it to LAYER_RANK)`);
          continue;
        }
        if (role?.kind === 'layer') {
          const from = LAYER_RANK[role.layer];
          if (from === undefined) {
            out.push(`${f.rel}: unknown layer folder "${role.layer}" (add it to LAYER_RANK)`);
            continue;
          }
          const to = t.kind === 'layer' ? LAYER_RANK[t.layer]! : rootRank(t.file);
          if (to > from)
            out.push(`${where}: layer ${role.layer} may not import ${t.kind === 'layer' ? `layer ${t.layer}` : `${t.file}, which depends on a layer to its right`}`);
        } else if (role?.kind === 'root' && t.kind === 'layer' && !imp.typeOnly) {
          out.push(`${where}: a foundation file imports no layer (a type-only import at most)`);
        }
      } else if (f.rel.startsWith('src/policies/')) {
        if (f.rel === 'src/policies/index.ts' && REGISTRY_DEPS.includes(imp.spec)) continue;
        if (!imp.spec.startsWith('.')) {
          out.push(`${where}: a policy imports only src/sim/decisions`);
          continue;
        }
        const target = resolve(f.rel, imp.spec);
        const sibling = path.posix.dirname(target) === 'src/policies';
        const decisions = target === 'src/sim/decisions.ts';
        const apiType = target === 'src/sim/api.ts' && imp.typeOnly;
        if (!sibling && !decisions && !apiType) out.push(`${where}: a policy imports only src/sim/decisions (and types of src/sim/api)`);
      }
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.(ts|tsx|mts|cts|cjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function loadSources(): SourceFile[] {
  return [...walk(SRC), ...walk(path.join(ROOT, 'steps'))].map((abs) => {
    const rel = path.relative(ROOT, abs).split(path.sep).join('/');
    return { rel, imports: importsOf(rel, fs.readFileSync(abs, 'utf8')) };
  });
}

describe('architecture (conventions.md §5)', () => {
  const files = loadSources();

  it('finds the simulator and its imports (the checker is not looking at nothing)', () => {
    const ops = files.find((f) => f.rel === 'src/sim/vfio-ap/ops.ts');
    expect(ops?.imports.map((i) => i.spec)).toContain('../kvm/crypto');
    const priv = files.find((f) => f.rel === 'src/sim/vfio-ap/private.ts');
    expect(priv?.imports).toContainEqual({ spec: '../kernel', typeOnly: true });
    expect(files.filter((f) => f.rel.startsWith('src/sim/') && !isTestCode(f.rel)).length).toBeGreaterThan(25);
  });

  it('src/sim, src/policies: every import follows the arrows', () => {
    expect(violations(files)).toEqual([]);
  });

  it('every other folder, steps/ included, imports only what its DEPS entry allows', () => {
    expect(depsViolations(files)).toEqual([]);
  });

  it('covers every folder of src/ and steps/ (each has layer rules, the policy rule or a DEPS entry)', () => {
    const folders = new Set(files.filter((f) => !isTestCode(f.rel)).map((f) => depsFolderOf(f.rel)!));
    expect(folders).toContain('steps');
    expect([...folders].filter((d) => d !== 'src/sim' && d !== 'src/policies' && !(d in DEPS))).toEqual([]);
  });

  it('nothing in src/sim (test code included) imports src/report, src/cli, steps, chai or @cucumber', () => {
    const bad = files
      .filter((f) => f.rel.startsWith('src/sim/'))
      .flatMap((f) => f.imports.map((i) => ({ f: f.rel, spec: i.spec, target: i.spec.startsWith('.') ? resolve(f.rel, i.spec) : i.spec })))
      .filter(({ target }) => /^(src\/(report|cli)\/|steps\/|chai$|@cucumber\/|node:)/.test(target));
    expect(bad).toEqual([]);
  });
});

describe('architecture checker', () => {
  const sim = (rel: string, ...specs: (string | [string, boolean])[]): SourceFile => ({
    rel,
    imports: specs.map((s) => (typeof s === 'string' ? { spec: s, typeOnly: false } : { spec: s[0], typeOnly: s[1] })),
  });

  it.each([
    ['a layer importing one to its right', sim('src/sim/firmware/x.ts', '../kvm/kvm'), 'layer firmware may not import layer kvm'],
    ['kvm importing vfio-ap', sim('src/sim/kvm/x.ts', '../vfio-ap/ops'), 'layer kvm may not import layer vfio-ap'],
    ['vfio-ap importing qemu', sim('src/sim/vfio-ap/x.ts', '../qemu/vmm'), 'layer vfio-ap may not import layer qemu'],
    ['a layer importing system.ts', sim('src/sim/kvm/x.ts', '../system'), 'only the composition root may import the facade'],
    ['node:fs in src/sim', sim('src/sim/kvm/x.ts', 'node:fs'), 'no node:*'],
    ['chai in src/sim', sim('src/sim/x.ts', 'chai'), 'no packages'],
    ['src/sim importing src/policies', sim('src/sim/x.ts', '../policies'), 'must not import outside src/sim'],
    ['src/sim importing src/report', sim('src/sim/x.ts', '../report/html'), 'must not import outside src/sim'],
    ['a foundation importing a layer', sim('src/sim/x.ts', './kvm/kvm'), 'a foundation file imports no layer'],
    ['a policy importing system.ts', sim('src/policies/p.ts', '../sim/system'), 'a policy imports only src/sim/decisions'],
    ['a policy importing api values', sim('src/policies/p.ts', '../sim/api'), 'a policy imports only src/sim/decisions'],
    ['a policy importing node:path', sim('src/policies/p.ts', 'node:path'), 'a policy imports only src/sim/decisions'],
    ['an unknown layer folder', sim('src/sim/oracle/x.ts', '../errno'), 'unknown layer folder'],
  ])('flags %s', (_what, file, message) => {
    const found = violations([file]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it.each([
    ['a step importing a simulator layer file', sim('steps/x.steps.ts', '../src/sim/firmware/facilities'), "enter the simulator by its front door"],
    ['a step importing the report', sim('steps/support/x.ts', '../../src/report/problems'), 'steps may import only'],
    ['the explorer importing the CLI', sim('src/explore/x.ts', '../cli/commands'), 'src/explore may import only'],
    ['the explorer importing the runner', sim('src/explore/x.ts', '../runner/write-atomic'), 'src/explore may import only'],
    ['the explorer importing system.ts', sim('src/explore/x.ts', '../sim/system'), 'front door'],
    ['src/common importing the runner', sim('src/common/x.ts', '../runner/errors'), 'src/common may import only'],
    ['a folder without a DEPS entry', sim('src/oracle/x.ts', 'node:fs'), 'has no entry in DEPS'],
  ])('DEPS flags %s', (_what, file, message) => {
    const found = depsViolations([file]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it.each([
    ['a step importing the front door, the policies and the contract', sim('steps/x.steps.ts', '../src/sim/api', '../src/policies', '../src/contract/step-error', 'chai', '@cucumber/cucumber')],
    ['the explorer importing src/common and fast-check', sim('src/explore/x.ts', '../common/argv', '../sim/api', 'fast-check', 'node:path')],
    ['a file importing its own folder', sim('src/lint/x.ts', './y')],
  ] as const)('DEPS accepts %s', (_what, file) => {
    expect(depsViolations([file], new Set(['src/policies/index.ts']))).toEqual([]);
  });

  it('ranks a foundation above the layer it type-imports: firmware may not import kernel.ts, ap-bus may', () => {
    const kernel = sim('src/sim/kernel.ts', ['./firmware/machine', true], './trace');
    expect(violations([kernel, sim('src/sim/firmware/x.ts', '../kernel')])[0]).toContain('depends on a layer to its right');
    expect(violations([kernel, sim('src/sim/ap-bus/x.ts', '../kernel')])).toEqual([]);
  });

  it.each([
    ['vfio-ap importing layers to its left, its own folder and a foundation', sim('src/sim/vfio-ap/x.ts', '../kvm/crypto', '../ap-bus/ap-bus', '../firmware/machine', './private', '../errno')],
    ['guest importing qemu (same rank)', sim('src/sim/guest/x.ts', '../qemu/vmm')],
    ['system.ts importing a layer', sim('src/sim/system.ts', './qemu/qemu')],
    ['snapshot.ts importing system.ts and layers', sim('src/sim/snapshot.ts', './system', './vfio-ap/ops')],
    ['a test importing policies and node:fs', sim('src/sim/x.test.ts', '../policies', 'node:fs')],
    ['test support importing system.ts', sim('src/sim/__test__/x.ts', '../system')],
    ['a policy importing decisions, a sibling and api types', sim('src/policies/p.ts', ['../sim/decisions', true], './v11', ['../sim/api', true])],
  ] as const)('accepts %s', (_what, file) => {
    expect(violations([file])).toEqual([]);
  });

  it('parses multi-line, type-only, re-export and import() type forms', () => {
    const refs = importsOf(
      'x.ts',
      `import {\n  a,\n  b,\n} from './a';\nimport type { T } from './t';\nimport { type U } from './u';\nexport { apqn } from './apqn';\nlet k: import('./kernel').Kernel;\nconst m = require('./r');\nimport './side';`,
    );
    expect(refs).toEqual([
      { spec: './a', typeOnly: false },
      { spec: './t', typeOnly: true },
      { spec: './u', typeOnly: true },
      { spec: './apqn', typeOnly: false },
      { spec: './kernel', typeOnly: true },
      { spec: './r', typeOnly: false },
      { spec: './side', typeOnly: false },
    ]);
  });
});
