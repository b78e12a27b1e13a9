import { spawnSync } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fontConfigFor, unpackChromium } from './unpack';
import { readUstar } from './ustar';

interface TarInput {
  name: string;
  type?: string;
  data?: string;
  mode?: number;
}

/** A minimal ustar writer, the format of the package's .tar.br files (name <= 100 bytes, no prefix). */
function ustar(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write(`${(e.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write(e.type ?? '0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe('readUstar', () => {
  it('reads files and directories with their names, modes and contents', () => {
    const entries = readUstar(ustar([{ name: 'lib/', type: '5', mode: 0o755 }, { name: 'lib/libnss3.so', data: 'ELF', mode: 0o755 }, { name: 'fonts.conf', data: '<fontconfig/>' }]), 't.tar');
    expect(entries.map((e) => [e.name, e.type, e.mode, e.data.toString()])).toEqual([
      ['lib', 'directory', 0o755, ''],
      ['lib/libnss3.so', 'file', 0o755, 'ELF'],
      ['fonts.conf', 'file', 0o644, '<fontconfig/>'],
    ]);
  });

  it('refuses names that would land outside the target directory', () => {
    expect(() => readUstar(ustar([{ name: '../evil', data: 'x' }]), 't.tar')).toThrow('t.tar: entry "../evil" would land outside the directory it is unpacked into');
    expect(() => readUstar(ustar([{ name: 'lib/../../evil', data: 'x' }]), 't.tar')).toThrow(/would land outside/);
    expect(() => readUstar(ustar([{ name: '/etc/passwd', data: 'x' }]), 't.tar')).toThrow(/would land outside/);
  });

  it('refuses links and other entry types instead of following them', () => {
    expect(() => readUstar(ustar([{ name: 'lib/link', type: '2' }]), 't.tar')).toThrow('t.tar: entry "lib/link" has tar type "2"; only files and directories are unpacked');
  });

  it('stops at a header whose checksum does not add up, and at an entry cut short', () => {
    const tar = ustar([{ name: 'a', data: 'hello' }]);
    const damaged = Buffer.from(tar);
    damaged[0] = 'b'.charCodeAt(0);
    expect(() => readUstar(damaged, 't.tar')).toThrow('t.tar: a tar header at byte 0 fails its checksum');
    expect(() => readUstar(tar.subarray(0, 514), 't.tar')).toThrow('t.tar: entry "a" is cut short (5 bytes announced, 2 left)');
  });
});

describe('unpackChromium', () => {
  let bin: string;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'apspec-unpack-'));
    bin = join(work, 'bin');
    await mkdir(bin);
    // The package's bin/ layout, with a shell script standing in for the browser binary.
    await writeFile(join(bin, 'chromium.br'), brotliCompressSync(Buffer.from('#!/bin/sh\necho stand-in\n')));
    await writeFile(join(bin, 'al2023.tar.br'), brotliCompressSync(ustar([{ name: 'lib/libnss3.so', data: 'nss', mode: 0o755 }])));
    await writeFile(join(bin, 'fonts.tar.br'), brotliCompressSync(ustar([{ name: 'fonts.conf', data: '<dir>/tmp/fonts</dir>' }, { name: 'fonts/', type: '5', mode: 0o755 }, { name: 'fonts/Open_Sans/OpenSans-Regular.ttf', data: 'ttf' }])));
  });

  it('unpacks the binary, lib/ and fonts/ once, with a fonts.conf naming the final directory', async () => {
    const target = join(work, 'cache', '1.0.0');
    const unpacked = await unpackChromium(bin, target);
    expect(unpacked).toEqual({ dir: target, executablePath: join(target, 'chromium'), libDir: join(target, 'lib'), fontConfigFile: join(target, 'fonts.conf') });
    await access(unpacked.executablePath, constants.X_OK);
    expect(spawnSync(unpacked.executablePath).stdout.toString()).toBe('stand-in\n');
    expect(await readFile(join(target, 'lib', 'libnss3.so'), 'utf8')).toBe('nss');
    expect(await readFile(join(target, 'fonts', 'Open_Sans', 'OpenSans-Regular.ttf'), 'utf8')).toBe('ttf');
    expect(await readFile(unpacked.fontConfigFile, 'utf8')).toBe(fontConfigFor(target));
    expect(fontConfigFor(target)).toContain(`<dir>${join(target, 'fonts')}</dir>`);
    // A second call finds it and writes nothing.
    const before = (await stat(unpacked.executablePath)).mtimeMs;
    await unpackChromium(bin, target);
    expect((await stat(unpacked.executablePath)).mtimeMs).toBe(before);
  });

  it('gives concurrent callers one complete directory and leaves no partial copy behind', async () => {
    const target = join(work, 'race', '2.0.0');
    const results = await Promise.all([unpackChromium(bin, target), unpackChromium(bin, target), unpackChromium(bin, target)]);
    expect(new Set(results.map((r) => r.executablePath))).toEqual(new Set([join(target, 'chromium')]));
    expect(await readdir(join(work, 'race'))).toEqual(['2.0.0']);
  });

  it('removes a partial copy left by a process that died while unpacking', async () => {
    const parent = join(work, 'abandoned');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await mkdir(join(parent, `3.0.0.partial-${dead}-deadbeef`), { recursive: true });
    await unpackChromium(bin, join(parent, '3.0.0'));
    expect(await readdir(parent)).toEqual(['3.0.0']);
  });

  it('escapes the directory name in fonts.conf', () => {
    expect(fontConfigFor('/tmp/a&b<c>')).toContain('<dir>/tmp/a&amp;b&lt;c&gt;/fonts</dir>');
  });
});
