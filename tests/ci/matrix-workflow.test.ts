/**
 * .github/workflows/matrix.yml, run locally: its shard jobs' and merge job's `npm start` commands,
 * read from the file and run through runCli (what `npm start` runs) on the fixture project, with
 * the artifact upload and download done by copying. The merged report must equal the report of
 * one unsharded run, byte for byte.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';

const ROOT = resolve(__dirname, '../..');
const WORKFLOW = join(ROOT, '.github/workflows/matrix.yml');
const FIXTURE = join(ROOT, 'tests/fixtures/matrix');
const SCRATCH = ['shard-reports', 'shards', 'reports', 'full-report'];

/**
 * `npm start -- a b` -> runCli(['run', 'a', 'b']) in `cwd` (npm's start script passes `run`); output
 * discarded. Exit 1 (a broken or changed cell: the fixture has some on purpose) still writes the
 * report, as the workflow's `!cancelled()` conditions expect; 2 and above is a usage or run failure.
 */
async function npmStart(commandLine: string, cwd: string): Promise<number> {
  const args = commandLine.replace(/^npm start -- /, '').split(/\s+/).filter(Boolean);
  const stderr: string[] = [];
  const sink = (into?: string[]) => new Writable({ write: (c, _e, done) => (into?.push(String(c)), done()) });
  const code = await runCli(['run', ...args], { cwd, stdout: sink(), stderr: sink(stderr), env: {}, signal: new AbortController().signal });
  if (code > 1) throw new Error(`${commandLine} exited ${code}: ${stderr.join('')}`);
  return code;
}

/** The shell's glob for the one pattern the merge line uses: `dir/*​/file`. */
async function expandGlob(word: string, cwd: string): Promise<string[]> {
  const m = /^([^*]+)\/\*\/([^*]+)$/.exec(word);
  if (!m) return [word];
  const dirs = (await readdir(join(cwd, m[1]!))).sort();
  return dirs.map((d) => `${m[1]}/${d}/${m[2]}`).filter((p) => existsSync(join(cwd, p)));
}

describe('.github/workflows/matrix.yml', () => {
  afterAll(async () => {
    for (const d of SCRATCH) await rm(join(FIXTURE, d), { recursive: true, force: true });
  });

  it('shards with --shard i/n over a job matrix of n runners, then merges them into the report one unsharded run writes', async () => {
    const yml = await readFile(WORKFLOW, 'utf8');
    const shards = JSON.parse(/^\s+shard: (\[[\d, ]+\])$/m.exec(yml)![1]!) as number[];
    const shardLine = /^\s+- run: (npm start -- --shard \$\{\{ matrix\.shard \}\}\/(\d+) .*)$/m.exec(yml)!;
    const mergeLine = /^\s+- run: (npm start -- merge .*)$/m.exec(yml)!;
    expect(Number(shardLine[2]), 'the n of --shard i/n is the number of shard jobs').toBe(shards.length);
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    const upload = /path: (shard-reports\/\$\{\{ matrix\.shard \}\}\/policy-matrix\.json)/.exec(yml)![1]!;

    for (const d of SCRATCH) await rm(join(FIXTURE, d), { recursive: true, force: true });
    for (const i of shards) {
      await npmStart(shardLine[1]!.replaceAll('${{ matrix.shard }}', String(i)), FIXTURE);
      // upload-artifact shard-<i>, then download-artifact (pattern shard-*, path shards)
      const file = upload.replaceAll('${{ matrix.shard }}', String(i));
      await mkdir(join(FIXTURE, 'shards', `shard-${i}`), { recursive: true });
      await cp(join(FIXTURE, file), join(FIXTURE, 'shards', `shard-${i}`, 'policy-matrix.json'));
    }
    const words = mergeLine[1]!.split(/\s+/);
    const expanded = (await Promise.all(words.map((w) => expandGlob(w, FIXTURE)))).flat();
    expect(expanded.filter((w) => w.endsWith('policy-matrix.json'))).toHaveLength(shards.length);
    await npmStart(expanded.join(' '), FIXTURE);

    await npmStart('npm start -- --out full-report', FIXTURE);
    const merged = await readFile(join(FIXTURE, 'reports', 'policy-matrix.json'), 'utf8');
    expect(JSON.parse(merged).scenarios.length).toBeGreaterThan(shards.length);
    expect(merged).toBe(await readFile(join(FIXTURE, 'full-report', 'policy-matrix.json'), 'utf8'));
  });
});
