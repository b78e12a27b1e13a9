/**
 * The report in a real browser: generate it through the API (the real features under every
 * policy, plus the fixture features for hostile text), open index.html from disk in chromium,
 * and use it the way a reviewer does.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launch';
import { runMatrix } from '../../src/runner/run-matrix';
import type { MatrixReport } from '../../src/report/types';
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

beforeAll(async () => {
  real = await generate(ROOT);
  // APSPEC_CHROMIUM, else the system's Chromium, else the packaged one (src/browser/launch.ts).
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Self-contained means no request leaves file://.
  page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && problems.push(`request: ${r.url()}`));
  await page.goto(pathToFileURL(join(real.dir, 'index.html')).href);
});

afterAll(async () => {
  await browser?.close();
});

describe('index.html of the real matrix', () => {
  it('loads without console errors or network requests', () => {
    expect(problems).toEqual([]);
  });

  it('shows one row per scenario and one column per policy', async () => {
    const policies = real.report.policies.map((p) => p.id);
    expect(await page.locator('#matrix thead th.pol').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-policy')))).toEqual(policies);
    expect(await page.locator('#matrix tr.scn').count()).toBe(real.report.scenarios.length);
    expect(await page.locator('#matrix td.cell').count()).toBe(real.report.scenarios.length * policies.length);
  });

  it('opens the failing step, the error and the trace when a failing cell is clicked', async () => {
    const failing = real.report.scenarios.flatMap((s) => Object.entries(s.results).filter(([, c]) => c.status === 'failed').map(([p, c]) => ({ s, p, c })));
    expect(failing.length).toBeGreaterThan(0);
    const first = page.locator('#matrix td.st-failed').first();
    const policy = await first.getAttribute('data-policy');
    await first.click();
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    const title = await page.locator('#p-title').textContent();
    const cell = failing.find((f) => f.p === policy && title?.includes(f.s.name))!;
    expect(cell).toBeDefined();
    expect(await page.locator('#p-step').textContent()).toBe(cell.c.failingStep);
    expect(await page.locator('#p-trace li').count()).toBe(cell.c.trace?.length);
    expect(await page.locator('#p-trace li.k-decision').count()).toBeGreaterThan(0);
    await page.locator('#panel-close').click();
    expect(await page.locator('#panel').isVisible()).toBe(false);
  });

  it('filters by status, policy, feature and tag', async () => {
    const visibleRows = () => page.locator('#matrix tr.scn:not(.hidden)').count();
    const withFailure = real.report.scenarios.filter((s) => Object.values(s.results).some((c) => c.status === 'failed')).length;
    await page.selectOption('#f-status', 'failed');
    expect(await visibleRows()).toBe(withFailure);

    await page.selectOption('#f-policy', 'v11');
    expect(await page.locator('#matrix th.pol:not(.hidden)').count()).toBe(1);
    const v11Failures = real.report.scenarios.filter((s) => s.results.v11?.status === 'failed').length;
    expect(await visibleRows()).toBe(v11Failures);

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
    // The thread's own finding: v11's crycbd check rejects only on the pre-4.20 KVM.
    const v11 = page.locator('#coverage table.cov[data-policy="v11"] tr.pre-kvm');
    await expect.poll(() => v11.count()).toBe(1);
    expect(await v11.textContent()).toContain("never on Linux 4.20's own");
  });

  it('saves a screenshot for humans', async () => {
    await page.locator('#matrix td.st-failed').first().click();
    const dir = join(ROOT, 'reports');
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'report-screenshot.png'), fullPage: false });
  });
});

describe('index.html with hostile feature text (fixtures)', () => {
  it('shows a scenario named <script>alert(1)</script> as text and runs none of it', async () => {
    const fixture = await generate(FIXTURE_CWD);
    const p = await browser.newPage();
    const dialogs: string[] = [];
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await p.goto(pathToFileURL(join(fixture.dir, 'index.html')).href);
    await expect.poll(() => p.locator('th.sname', { hasText: '<script>alert(1)</script>' }).count()).toBe(1);
    await p.locator('tr.scn', { hasText: 'a broken policy' }).locator('td.st-policy-error').click();
    expect(await p.locator('#p-error').textContent()).toMatch(/^policy error:/);
    expect(dialogs).toEqual([]);
    await p.close();
  });
});
