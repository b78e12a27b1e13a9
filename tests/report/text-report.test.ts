/**
 * policy-matrix.txt of the real suite, as a reviewer pastes it into a reply on the list: plain
 * ASCII, no line over 72 columns, under 150 lines, and requirement tables that say what
 * policy-matrix.json says.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../../src/report/matrix';
import { requirementCell, requirementsOf, tablePolicies } from '../../src/report/sections';
import { ASCII_SYMBOL } from '../../src/report/summary';
import { TEXT_WIDTH } from '../../src/report/text';
import type { MatrixReport } from '../../src/report/types';
import { runMatrix } from '../../src/runner/run-matrix';
import { captureStream, tempDir } from './fixture';

const ROOT = resolve(__dirname, '../..');
let text: string;
let report: MatrixReport;

beforeAll(async () => {
  const out = await tempDir('apspec-text-');
  const result = await runMatrix({ outDir: out, verdictsPath: join(out, 'expected-verdicts.json') }, { cwd: ROOT, stdout: captureStream(), stderr: captureStream(), env: {} });
  if (result.status !== 'done') throw new Error('the matrix run did not finish');
  text = await readFile(join(out, 'policy-matrix.txt'), 'utf8');
  report = parseMatrix(await readFile(join(out, 'policy-matrix.json'), 'utf8'), 'policy-matrix.json');
}, 300_000);

/** The rows of the table under `title`: its column headers and each row's label and cells. */
function table(title: string): { headers: string[]; rows: { label: string; cells: string[] }[] } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(title));
  expect(at, `a table titled "${title}"`).toBeGreaterThanOrEqual(0);
  const headers = lines[at + 1].trim().split(/\s+/);
  const rows: { label: string; cells: string[] }[] = [];
  for (const line of lines.slice(at + 2)) {
    const words = line.trim().split(/\s+/);
    if (words.length !== headers.length + 1 || !words.slice(1).every((w) => Object.values(ASCII_SYMBOL).includes(w))) break;
    rows.push({ label: words[0], cells: words.slice(1) });
  }
  return { headers, rows };
}

describe('policy-matrix.txt of the real suite', () => {
  it(`is ASCII, no line over ${TEXT_WIDTH} columns, under 150 lines`, () => {
    const lines = text.trimEnd().split('\n');
    for (const [i, line] of lines.entries()) expect(line.length, `line ${i + 1}: ${line}`).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(lines.length).toBeLessThan(150);
  });

  it.each([
    ['thread', 'The 2018 thread'],
    ['history', 'Kernel history'],
  ] as const)('has a %s table whose every cell matches policy-matrix.json', (section, title) => {
    const reqs = requirementsOf(report, section);
    const cols = tablePolicies(report, section);
    if (!reqs.length || !cols.length) {
      expect(text).not.toContain(title);
      return;
    }
    const t = table(title);
    expect(t.headers).toHaveLength(cols.length);
    expect(t.rows).toHaveLength(reqs.length);
    reqs.forEach((r, i) => expect(t.rows[i].cells, `${r.name}`).toEqual(cols.map((p) => ASCII_SYMBOL[requirementCell(r, p.id)?.status ?? 'skipped'])));
  });
});
