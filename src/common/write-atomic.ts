/**
 * Write-then-rename, so a run killed half-way leaves the previous report whole.
 *
 * The temporary file sits beside its target (rename is atomic only within one filesystem) and is
 * named `.tmp-*`, which .gitignore ignores.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirectory } from './make-directory';

let counter = 0;

export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${counter}`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await makeDirectory(dirname(target));
  const tmp = tempPathFor(target);
  try {
    await writeFile(tmp, data);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Move a finished file (e.g. one a cucumber formatter wrote into a staging directory) into place. */
export async function moveIntoPlace(source: string, target: string): Promise<void> {
  await makeDirectory(dirname(target));
  await rename(source, target);
}
