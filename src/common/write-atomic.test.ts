import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-atomic';

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apspec-atomic-'));
    await writeFile(join(dir, 'r.json'), 'old');
    await writeFileAtomic(join(dir, 'r.json'), 'new');
    expect(await readFile(join(dir, 'r.json'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['r.json']);
  });

  it('keeps the previous file intact when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apspec-atomic-'));
    await writeFile(join(dir, 'r.json'), 'old');
    // A value writeFile rejects stands in for a disk-full or a kill mid-write.
    await expect(writeFileAtomic(join(dir, 'r.json'), 42 as unknown as string)).rejects.toThrow();
    expect(await readFile(join(dir, 'r.json'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['r.json']);
  });

  it('creates missing directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apspec-atomic-'));
    await writeFileAtomic(join(dir, 'a', 'b', 'r.json'), 'x');
    expect(await readFile(join(dir, 'a', 'b', 'r.json'), 'utf8')).toBe('x');
  });
});
