/**
 * `npm run screenshots`: the report's screenshots in docs/, made from a real run.
 *
 * Runs every feature under every policy into a temporary directory (the committed reports/ stay
 * as they are), opens its index.html in Chromium (src/browser/launch.ts) and saves the top of the
 * page and an open panel (the first failing cell of the thread table, side by side with its base)
 * at 1400 and 800 px. The README shows them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/launch';
import { cellKey } from '../report/html';
import { requirementCell, requirementsOf, tablePolicies } from '../report/sections';
import type { MatrixReport } from '../report/types';
import { runMatrix } from '../runner/run-matrix';

const ROOT = resolve(__dirname, '../..');
const WIDTHS = [1400, 800] as const;

/** The cell a reviewer opens first: the first failing cell of the thread table. */
function firstFailingRequirement(report: MatrixReport): string | undefined {
  for (const r of requirementsOf(report, 'thread'))
    for (const p of tablePolicies(report, 'thread')) {
      const rc = requirementCell(r, p.id);
      if (rc && rc.status !== 'passed' && rc.status !== 'not-applicable' && rc.status !== 'skipped') return cellKey(p.id, rc.scenario.id);
    }
  return undefined;
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'apspec-screenshots-'));
  try {
    const result = await runMatrix(
      { outDir: dir, verdictsPath: join(dir, 'expected-verdicts.json') },
      { cwd: ROOT, stdout: process.stderr, stderr: process.stderr, env: process.env },
    );
    if (result.status !== 'done') return 130;
    const key = firstFailingRequirement(result.report);
    const browser = await launchChromium();
    try {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const page0 = pathToFileURL(join(dir, 'index.html')).href;
        await page.goto(page0);
        await page.screenshot({ path: join(ROOT, 'docs', `report-top-${width}.png`) });
        if (key) {
          await page.goto(`${page0}#cell=${encodeURIComponent(key)}`);
          await page.locator('#panel').waitFor({ state: 'visible' });
          if (await page.locator('#p-compare-l').isVisible()) await page.locator('#p-compare').check();
          await page.screenshot({ path: join(ROOT, 'docs', `report-panel-${width}.png`) });
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
    process.stdout.write(`Saved docs/report-top-{${WIDTHS.join(',')}}.png${key ? ` and docs/report-panel-{${WIDTHS.join(',')}}.png (${key})` : ''}\n`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`apspec screenshots: ${err.message}\n`);
    process.exit(1);
  },
);
