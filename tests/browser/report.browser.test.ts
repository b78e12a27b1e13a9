/**
 * The report in a real browser: generate it through the API (the real features under every
 * policy, the fixture features for hostile feature text, and a merged shard with hostile text in
 * every field merge reads back), open index.html from disk in Chromium, and use it the way a
 * reviewer does: the requirement tables, a cell's story, URL fragments, the keyboard, 800 px.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launch';
import { cellKey } from '../../src/report/html';
import { parseMatrix, serializeMatrix } from '../../src/report/matrix';
import { mergeMatrices } from '../../src/report/merge';
import { requirementCell, requirementsOf, tablePolicies } from '../../src/report/sections';
import type { MatrixReport } from '../../src/report/types';
import { writeReport } from '../../src/report/write-report';
import { sample } from '../../src/report/__test__/sample-report';
import { runMatrix } from '../../src/runner/run-matrix';
import { captureStream, FIXTURE_CWD } from '../report/fixture';

const ROOT = resolve(__dirname, '../..');

async function generate(cwd: string): Promise<{ dir: string; report: MatrixReport }> {
  const dir = await mkdtemp(join(tmpdir(), 'apspec-browser-'));
  const result = await runMatrix(
    { outDir: dir, verdictsPath: join(dir, 'expected-verdicts.json') },
    { cwd, stdout: captureStream(), stderr: captureStream(), env: {} },
  );
  if (result.status !== 'done') throw new Error('the matrix run did not finish');
  return { dir, report: result.report };
}

let browser: Browser;
let real: { dir: string; report: MatrixReport };
let page: Page;
const problems: string[] = [];
const url = (dir: string, hash = '') => `${pathToFileURL(join(dir, 'index.html')).href}${hash}`;

async function watched(width: number): Promise<Page> {
  const p = await browser.newPage({ viewport: { width, height: 900 } });
  p.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Self-contained means no request leaves file://.
  p.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && problems.push(`request: ${r.url()}`));
  return p;
}

beforeAll(async () => {
  // The matrix run (worker threads) and Chromium's start-up (a process) overlap.
  // APSPEC_CHROMIUM, else the system's Chromium, else the packaged one (src/browser/launch.ts).
  const [generated, launched] = await Promise.allSettled([generate(ROOT), launchChromium()]);
  if (launched.status === 'fulfilled') browser = launched.value; // closed by afterAll whatever else failed
  if (generated.status === 'rejected') throw generated.reason;
  if (launched.status === 'rejected') throw launched.reason;
  real = generated.value;
  page = await watched(1400);
  await page.goto(url(real.dir));
});

afterAll(async () => {
  await browser?.close();
});

/** The first thread requirement cell that fails, as the table shows it. */
function failingRequirementCell(report: MatrixReport) {
  for (const r of requirementsOf(report, 'thread'))
    for (const p of tablePolicies(report, 'thread')) {
      const rc = requirementCell(r, p.id);
      if (rc?.status === 'failed') return { key: cellKey(p.id, rc.scenario.id), row: rc.scenario, cell: rc.cell, policy: p };
    }
  throw new Error('no failing thread requirement in the real report');
}

describe('index.html of the real matrix at 1400 px', () => {
  it('loads without console errors or network requests', () => {
    expect(problems).toEqual([]);
  });

  it('shows one row per scenario and all eleven policy columns without scrolling sideways', async () => {
    const policies = real.report.policies.map((p) => p.id);
    expect(policies.length).toBeGreaterThanOrEqual(11);
    expect(await page.locator('#matrix thead th.pol').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-policy')))).toEqual(policies);
    expect(await page.locator('#matrix tr.scn').count()).toBe(real.report.scenarios.length);
    const box = await page.locator('.mbox').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
  });

  it('answers first: the thread table (R1-R5 x the 2018 policies) above the matrix, naming the requirements each policy meets', async () => {
    const cols = await page.locator('#t-thread thead th').allTextContents();
    expect(cols.slice(1)).toEqual(tablePolicies(real.report, 'thread').map((p) => p.id));
    expect(await page.locator('#t-thread tbody tr').count()).toBe(requirementsOf(real.report, 'thread').length);
    const tableTop = await page.locator('#t-thread').evaluate((e) => e.getBoundingClientRect().top);
    expect(tableTop).toBeLessThan(900); // in the first screen
    expect(await page.locator('.met').textContent()).toMatch(/v11 R1 R2 R3 R4 R5/);
    expect(await page.locator('#t-history').count()).toBe(1); // empty-safe when features/history/ has none
  });

  it('opens the story of a requirement cell: its steps in order, each with the events it caused, the failing step marked, the decisive events first', async () => {
    const { key, row, cell } = failingRequirementCell(real.report);
    await page.locator(`#t-thread a.rcell[data-key="${key}"]`).click();
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    expect(await page.locator('#p-title').textContent()).toBe(row.name);
    const steps = page.locator('#p-story ol.steps > li');
    expect(await steps.count()).toBe(row.steps.length);
    expect(await steps.locator('.st').allTextContents()).toEqual(row.steps.map((t, i) => t + (cell.steps![i].status !== 'passed' ? `  [${cell.steps![i].status}]` : '')));
    const nested = await steps.evaluateAll((lis) => lis.map((li) => li.querySelectorAll('ul.ev > li').length));
    expect(nested).toEqual(cell.steps!.map((s) => s.events.length));
    const here = await page.locator('#p-story li.here').count();
    expect(here).toBe(1);
    expect(await page.locator('#p-decisive .decisive ul.ev li').count()).toBeGreaterThan(0);
    // The story is printed once: the error does not repeat the trace's tail.
    expect(await page.locator('#p-error').textContent()).not.toMatch(/trace events \(policy/);
    expect(page.url()).toContain(`cell=${encodeURIComponent(key)}`);
  });

  it('shows the same scenario under the base side by side', async () => {
    const { policy } = failingRequirementCell(real.report);
    expect(policy.base).toBeDefined();
    await page.locator('#p-compare').check();
    expect(await page.locator('#p-story.two > div').count()).toBe(2);
    expect(await page.locator('#p-story h4').allTextContents()).toEqual([expect.stringContaining(`under ${policy.id}`), expect.stringContaining(`under ${policy.base}`)]);
    await page.locator('#p-compare').uncheck();
  });

  it('closes the panel with Esc, and opens a focused cell with Enter', async () => {
    await page.keyboard.press('Escape');
    expect(await page.locator('#panel').isVisible()).toBe(false);
    const cell = page.locator('#matrix td.cell[data-key]').first();
    await cell.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#panel').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('#panel').isVisible()).toBe(false);
    expect(page.url()).not.toContain('cell=');
  });

  it('filters by status, policy, feature and tag, and keeps the filter in the URL', async () => {
    const visibleRows = () => page.locator('#matrix tr.scn:not(.hidden)').count();
    const withFailure = real.report.scenarios.filter((s) => Object.values(s.results).some((c) => c.status === 'failed')).length;
    await page.selectOption('#f-status', 'failed');
    expect(await visibleRows()).toBe(withFailure);
    expect(page.url()).toContain('status=failed');

    await page.selectOption('#f-policy', 'v11');
    expect(await page.locator('#matrix th.pol:not(.hidden)').count()).toBe(1);
    expect(await visibleRows()).toBe(real.report.scenarios.filter((s) => s.results.v11?.status === 'failed').length);

    await page.selectOption('#f-status', '');
    await page.selectOption('#f-policy', '');
    const uri = real.report.scenarios[0].uri;
    await page.selectOption('#f-feature', uri);
    expect(await visibleRows()).toBe(real.report.scenarios.filter((s) => s.uri === uri).length);

    await page.selectOption('#f-feature', '');
    await page.selectOption('#f-tag', '@thread');
    expect(await visibleRows()).toBe(real.report.scenarios.filter((s) => s.tags.includes('@thread')).length);
    await page.selectOption('#f-tag', '');
    expect(await visibleRows()).toBe(real.report.scenarios.length);
  });

  it("lists the decision coverage, flagging branches never exercised or never on Linux 4.20's own KVM", async () => {
    expect(await page.locator('#coverage table.cov').count()).toBe(real.report.policies.length);
    const branches = real.report.coverage.flatMap((c) => c.points.flatMap((p) => p.branches));
    const never = branches.filter((b) => b.scenarios.length === 0).length;
    const preOnly = branches.filter((b) => b.scenarios.length > 0 && b.on420Kvm === 0).length;
    expect(await page.locator('#coverage tr.never').count()).toBe(never + preOnly);
    expect(await page.locator('#coverage tr.pre-kvm').count()).toBe(preOnly);
  });
});

describe('URL fragments', () => {
  it('reopen a cell and a filter state from a link', async () => {
    const { key, row } = failingRequirementCell(real.report);
    const p = await watched(1400);
    await p.goto(url(real.dir, `#status=failed&cell=${encodeURIComponent(key)}`));
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    expect(await p.locator('#p-title').textContent()).toBe(row.name);
    expect(await p.locator('#f-status').inputValue()).toBe('failed');
    expect(await p.locator(`#matrix td.sel`).getAttribute('data-key')).toBe(key);
    await p.close();
  });
});

describe('index.html at 800 px', () => {
  it('has no horizontal page scroll: the matrix scrolls in its box, the scenario column stays', async () => {
    const p = await watched(800);
    await p.goto(url(real.dir));
    const doc = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(doc.scroll).toBeLessThanOrEqual(doc.client);
    const box = await p.locator('.mbox').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client); // eleven columns do not fit: the box scrolls
    await p.locator('.mbox').evaluate((e) => e.scrollTo({ left: 400 }));
    const sticky = await p.locator('#matrix tr.scn th.sname').first().evaluate((th) => th.getBoundingClientRect().left - th.closest('.mbox')!.getBoundingClientRect().left);
    expect(Math.abs(sticky)).toBeLessThan(2);
    await p.close();
  });

  it('keeps the trace inside the panel', async () => {
    const { key } = failingRequirementCell(real.report);
    const p = await watched(800);
    await p.goto(url(real.dir, `#cell=${encodeURIComponent(key)}`));
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    const panel = await p.locator('#panel').evaluate((e) => ({ right: e.getBoundingClientRect().right, scroll: e.scrollWidth, client: e.clientWidth }));
    expect(panel.scroll).toBeLessThanOrEqual(panel.client);
    const rights = await p.locator('#p-story ul.ev li').evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().right));
    expect(rights.length).toBeGreaterThan(0);
    expect(Math.max(...rights)).toBeLessThanOrEqual(panel.right);
    const doc = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(doc).toBeLessThanOrEqual(0);
    await p.close();
  });
});

describe('index.html with hostile text', () => {
  async function noDialogs(dir: string, check: (p: Page) => Promise<void>): Promise<void> {
    const p = await browser.newPage();
    const dialogs: string[] = [];
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await p.goto(url(dir));
    await check(p);
    // Open every cell's panel: the script writes every field with textContent.
    const keys = await p.locator('#matrix td.cell[data-key]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-key')!));
    for (const key of keys) await p.evaluate((k) => (location.hash = `cell=${encodeURIComponent(k)}`), key);
    expect(dialogs).toEqual([]);
    expect(await p.evaluate(() => document.querySelectorAll('img, iframe, object, embed').length)).toBe(0);
    await p.close();
  }

  it('shows a scenario named <script>alert(1)</script> from a feature as text and runs none of it', async () => {
    const fixture = await generate(FIXTURE_CWD);
    await noDialogs(fixture.dir, async (p) => {
      await expect.poll(() => p.locator('th.sname', { hasText: '<script>alert(1)</script>' }).count()).toBe(1);
      await p.locator('tr.scn', { hasText: 'a broken policy' }).locator('td.st-policy-error').click();
      expect(await p.locator('#p-verdict').textContent()).toMatch(/^policy error/);
    });
  });

  it('escapes every field merge reads back from a shard (names, tags, steps, errors, events, policies)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apspec-merged-'));
    const shard = join(dir, 'shard.json');
    await writeFile(shard, serializeMatrix(sample()));
    const merged = mergeMatrices([parseMatrix(serializeMatrix(sample()), shard)]);
    await writeReport({ report: merged, outDir: dir });
    await noDialogs(dir, async (p) => {
      expect(await p.locator('#t-thread').textContent()).toContain('R1');
      expect(await p.locator('#matrix th.sname', { hasText: '<script>alert(1)</script>' }).count()).toBeGreaterThan(0);
      expect(await p.locator('#matrix th.pol').first().getAttribute('title')).toContain('<script>alert(1)</script>');
    });
  });
});
