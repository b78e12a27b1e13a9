/**
 * The suite at k times its size, for the scale curve: a temporary project whose features/ holds k
 * copies of apspec's features (copy-1/ ... copy-k/, so every scenario is a distinct row) and whose
 * steps, sources, configuration and node_modules are apspec's own (symlinks).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScaledSuite {
  readonly dir: string;
  remove(): void;
}

const LINKED = ['steps', 'src', 'node_modules', 'cucumber.js', 'tsconfig.json', 'package.json', 'docs'];

export function writeScaledSuite(root: string, copies: number): ScaledSuite {
  const dir = mkdtempSync(join(tmpdir(), `apspec-bench-x${copies}-`));
  try {
    for (const name of LINKED) symlinkSync(join(root, name), join(dir, name));
    mkdirSync(join(dir, 'features'));
    for (let k = 1; k <= copies; k++) cpSync(join(root, 'features'), join(dir, 'features', `copy-${k}`), { recursive: true });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
