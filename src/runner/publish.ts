/**
 * Publishing a run's report: everything is written into a per-run staging folder first, then moved
 * into the output directory under an exclusive lock, so two runs into the same directory never
 * interleave their files and a run that fails or is killed before publishing leaves the previous
 * report whole.
 *
 *  - Staging: `<out>/.tmp-run-<pid>-<n>` (beside the target: rename is atomic only within one file
 *    system). Folders of processes that no longer exist (a run killed by SIGKILL, a closed
 *    terminal) are removed by the next run into the same directory.
 *  - Lock: `<out>/.apspec-publish.lock`, created with O_EXCL and holding the owner's pid; a lock
 *    whose process is gone is stale and taken over.
 *  - Manifest: `<out>/.apspec-published.json` lists what the last publish put there, so entries of
 *    an earlier run that this run does not produce (a policy folder) are removed, not left mixed in.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeDirectory } from '../common/make-directory';

const STAGING_PREFIX = '.tmp-run-';
const LOCK = '.apspec-publish.lock';
const MANIFEST = '.apspec-published.json';
let counter = 0;

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Staging and temporary entries left in `outDir` by runs whose process is gone: `.tmp-run-<pid>-*`
 * folders and `.tmp-<file>-<pid>-<n>` files of writeFileAtomic.
 */
export async function removeStale(outDir: string): Promise<string[]> {
  if (!existsSync(outDir)) return [];
  const removed: string[] = [];
  for (const name of await readdir(outDir).catch(() => [] as string[])) {
    const m = /^\.tmp-run-(\d+)(?:-\d+)?$/.exec(name) ?? /^\.tmp-.*-(\d+)-\d+$/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    await rm(join(outDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** A fresh staging folder in `outDir` for this run. */
export async function makeStaging(outDir: string): Promise<string> {
  counter += 1;
  const staging = join(outDir, `${STAGING_PREFIX}${process.pid}-${counter}`);
  await rm(staging, { recursive: true, force: true });
  // Not mkdir({ recursive }): Node's spins forever on /proc and other pseudo file systems.
  await makeDirectory(staging);
  return staging;
}

/**
 * Move every entry of `staging` into `outDir` (files by rename; folders by renaming the old one
 * away first), remove what the previous publish produced and this one does not, and delete the
 * staging folder. Holds the lock throughout.
 */
export async function publish(staging: string, outDir: string, opts: { waitMs?: number } = {}): Promise<void> {
  const release = await lock(outDir, opts.waitMs ?? 30_000);
  try {
    const entries = (await readdir(staging)).filter((n) => n !== '.old');
    const previous = await readManifest(outDir);
    const old = join(staging, '.old');
    await mkdir(old, { recursive: true });
    for (const name of entries) {
      const target = join(outDir, name);
      if (existsSync(target)) await rename(target, join(old, name)).catch(async () => rm(target, { recursive: true, force: true }));
      await rename(join(staging, name), target);
    }
    for (const name of previous) {
      if (entries.includes(name) || !safeName(name)) continue;
      await rm(join(outDir, name), { recursive: true, force: true });
    }
    await writeFile(join(outDir, MANIFEST), `${JSON.stringify(entries.sort(), null, 2)}\n`);
  } finally {
    await release();
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function readManifest(outDir: string): Promise<string[]> {
  try {
    const v: unknown = JSON.parse(await readFile(join(outDir, MANIFEST), 'utf8'));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A manifest is a file on disk: only plain names inside outDir are ever removed. */
function safeName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/]/.test(name) && name !== 'expected-verdicts.json';
}

async function lock(outDir: string, waitMs: number): Promise<() => Promise<void>> {
  const file = join(outDir, LOCK);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being written right now; only a dead owner's lock is stale.
    if (owner && !processAlive(owner)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`another apspec run (pid ${owner || '?'}) is publishing into ${outDir} and has held ${LOCK} for ${Math.round(waitMs / 1000)} s`);
    await sleep(50);
  }
}
