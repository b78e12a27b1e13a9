/**
 * The README's two verdict tables are what the matrix says: each row of "What the matrix says about
 * the 2018 thread" (R1-R5 x the thread's candidates) and of "What changed between releases" (each
 * features/history/ requirement x the kernel releases) equals the verdict computed from the reviewed
 * expected verdicts (reports/expected-verdicts.json), which `npm test`'s matrix run in turn checks
 * against the simulator. A requirement is met when every scenario of its feature that applies passed;
 * n.a. when none applies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_POLICY_IDS } from '../../src/policies';

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'reports/expected-verdicts.json'), 'utf8')) as Record<string, Record<string, string>>;
const THREAD_POLICIES = ['v10', 'v10-apie', 'ap-instructions', 'v11', 'unchecked'];

/** ✓, ✗ or n.a. for one feature file under one policy, from the expected verdicts of its scenarios. */
export function requirementVerdict(uri: string, policy: string): string {
  const cells = Object.entries(EXPECTED)
    .filter(([key]) => key.replace(/:\d+$/, '') === uri)
    .map(([, byPolicy]) => byPolicy[policy]);
  if (!cells.length || cells.some((c) => c === undefined)) return `missing (${uri} has no expected verdict under ${policy}: npm start -- --accept)`;
  if (cells.some((c) => c !== 'passed' && c !== 'not-applicable')) return '✗';
  return cells.some((c) => c === 'passed') ? '✓' : 'n.a.';
}

/** The table that follows `heading` in the README: header cells and, per row, its first cell and the rest. */
function readmeTable(heading: string): { header: string[]; rows: { first: string; cells: string[] }[] } {
  const at = README.indexOf(heading);
  expect(at, `README has the section "${heading}"`).toBeGreaterThan(-1);
  const lines = README.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const table: string[] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    table.push(l);
  }
  const split = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim());
  const [header, , ...body] = table;
  return { header: split(header!), rows: body.map((l) => split(l)).map(([first, ...cells]) => ({ first: first!, cells })) };
}

describe('README: What the matrix says about the 2018 thread', () => {
  const { header, rows } = readmeTable('## What the matrix says about the 2018 thread');
  const features = readdirSync(join(ROOT, 'features/thread')).filter((f) => f.endsWith('.feature')).sort();

  it('has a column per candidate of the thread and a row per features/thread requirement', () => {
    expect(header.slice(1)).toEqual(THREAD_POLICIES);
    expect(rows.map((r) => r.first.split(' ')[0])).toEqual(features.map((f) => f.split('-')[0]));
  });

  it.each(features)('%s: the row matches the expected verdicts', (file) => {
    const row = rows.find((r) => r.first.startsWith(`${file.split('-')[0]} `))!;
    expect(row.cells).toEqual(THREAD_POLICIES.map((p) => requirementVerdict(`features/thread/${file}`, p)));
  });
});

describe('README: What changed between releases', () => {
  const { header, rows } = readmeTable('## What changed between releases');
  const features = readdirSync(join(ROOT, 'features/history')).filter((f) => f.endsWith('.feature')).sort();

  it('has a column per kernel release and a row per features/history requirement, linked to its file', () => {
    expect(header.slice(1)).toEqual(KERNEL_POLICY_IDS);
    expect(rows.map((r) => /\]\((features\/history\/[^)]+)\)/.exec(r.first)?.[1]).sort()).toEqual(features.map((f) => `features/history/${f}`));
  });

  it.each(features)('%s: the row matches the expected verdicts', (file) => {
    const uri = `features/history/${file}`;
    const row = rows.find((r) => r.first.includes(`(${uri})`))!;
    expect(row.cells).toEqual(KERNEL_POLICY_IDS.map((p) => requirementVerdict(uri, p)));
  });
});
