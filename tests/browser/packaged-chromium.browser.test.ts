/**
 * The packaged Chromium (@sparticuz/chromium, from `npm ci`) with the system's Chromium hidden:
 * APSPEC_CHROMIUM unset and the system lookup pointed at an empty directory. This is the browser a
 * fresh machine with only Node gets, and CI (which installs Debian's chromium for the report test)
 * would otherwise never launch it, so it could rot unnoticed.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type FoundChromium } from '../../src/browser/launch';

let browser: Browser;
let chosen: FoundChromium | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apspec-packaged-'));
  const env: Record<string, string | undefined> = { ...process.env, APSPEC_SYSTEM_BROWSER_DIRS: await mkdtemp(join(tmpdir(), 'apspec-no-system-browser-')) };
  delete env['APSPEC_CHROMIUM'];
  browser = await launchChromium({ env, onFound: (c) => (chosen = c) });
});

afterAll(async () => {
  await browser?.close();
});

describe('the Chromium from @sparticuz/chromium, with no system Chromium to find', () => {
  it('is the one chosen when APSPEC_CHROMIUM is unset and the system directories hold no browser', () => {
    expect(chosen?.source).toBe('package');
    expect(chosen?.executablePath).toMatch(/node_modules\/\.cache\/apspec-chromium\/[^/]+\/chromium$/);
    expect(chosen?.env['FONTCONFIG_FILE']).toBeDefined();
  });

  it('loads a page from disk, runs its script, lays out its text and takes a screenshot', async () => {
    const file = join(dir, 'page.html');
    await writeFile(file, '<!doctype html><title>t</title><p id="text" style="font: 16px sans-serif">static</p><script>document.getElementById("text").textContent = "written by script";</script>');
    const page = await browser.newPage({ viewport: { width: 400, height: 200 } });
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('#text').textContent()).toBe('written by script');
    expect(await page.locator('#text').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(50);
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });
});
