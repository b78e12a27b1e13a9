/**
 * Unpacks the headless Chromium that @sparticuz/chromium ships in its npm tarball (bin/*.br) into a
 * directory of its own, once per package version, so a machine with Node and the npm registry and
 * nothing else can run the browser tests. Nothing is downloaded: the files were fetched by `npm ci`.
 *
 * The package's own `executablePath()` is not used: it unpacks into the shared `$TMPDIR/chromium`,
 * which it reuses whatever version left it there, and two test files launching at once (vitest runs
 * files in parallel) would write the same file together and one could execute it half-written.
 * Here each process unpacks into a private `<version>.partial-<pid>-<random>` directory and renames
 * it into place; the rename is atomic, so a directory named after the version is always complete.
 * A loser of the race drops its copy and uses the winner's.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, chmod, constants, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompress, createBrotliDecompress } from 'node:zlib';
import { promisify } from 'node:util';
import { readUstar } from './ustar';

const brotli = promisify(brotliDecompress);

export interface UnpackedChromium {
  readonly dir: string;
  readonly executablePath: string;
  /** NSS, NSPR and expat shipped with the build, for LD_LIBRARY_PATH (a bare machine lacks them). */
  readonly libDir: string;
  /** For FONTCONFIG_FILE: the system's fonts where there are any, plus the shipped Open Sans. */
  readonly fontConfigFile: string;
}

function layoutOf(dir: string): UnpackedChromium {
  return { dir, executablePath: join(dir, 'chromium'), libDir: join(dir, 'lib'), fontConfigFile: join(dir, 'fonts.conf') };
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * fonts.conf for the final directory (written before the rename, so it names the final paths). The
 * package's own fonts.conf names /tmp/fonts and Lambda paths, so it is replaced.
 */
export function fontConfigFor(dir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${xmlText(join(dir, 'fonts'))}</dir>`,
    `  <cachedir>${xmlText(join(dir, 'fontconfig-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Partial directories left by a process that was killed while unpacking (about 200 MB each). */
async function removeAbandonedPartials(target: string): Promise<void> {
  const prefix = `${basename(target)}.partial-`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) await rm(join(dirname(target), name), { recursive: true, force: true });
  }
}

async function extractTarBr(archive: string, into: string): Promise<void> {
  const entries = readUstar(await brotli(await readFile(archive)), archive);
  for (const e of entries) {
    const path = join(into, e.name);
    if (e.type === 'directory') await mkdir(path, { recursive: true });
    else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, e.data, { mode: e.mode || 0o644 });
    }
  }
}

/**
 * The unpacked Chromium of `binDir` (the package's bin/) in `target`, unpacking it first when
 * `target` does not exist yet. Takes about 2.5 s and 200 MB the first time, nothing after.
 */
export async function unpackChromium(binDir: string, target: string): Promise<UnpackedChromium> {
  const layout = layoutOf(target);
  if (await isExecutable(layout.executablePath)) return layout;
  await mkdir(dirname(target), { recursive: true });
  await removeAbandonedPartials(target);
  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(partial);
    const binary = join(partial, 'chromium');
    // Streamed: the binary is ~190 MB unpacked, which a one-shot brotliDecompressSync would hold twice.
    await pipeline(createReadStream(join(binDir, 'chromium.br')), createBrotliDecompress(), createWriteStream(binary, { mode: 0o755 }));
    await chmod(binary, 0o755);
    // al2023.tar.br holds lib/: the libraries the binary links against beyond glibc. The package
    // unpacks them only on Amazon Linux; a Debian image without Chromium lacks libnss3 too.
    await extractTarBr(join(binDir, 'al2023.tar.br'), partial);
    // fonts.tar.br holds fonts/Open_Sans/*.ttf (and a fonts.conf replaced below). swiftshader.tar.br
    // (software WebGL) is left packed: the browser runs with --disable-gpu.
    await extractTarBr(join(binDir, 'fonts.tar.br'), partial);
    await writeFile(join(partial, 'fonts.conf'), fontConfigFor(target));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    // Another process renamed its copy into place first: use that one.
    if (code === 'EEXIST' || code === 'ENOTEMPTY') {
      if (await isExecutable(layout.executablePath)) return layout;
      throw new Error(`${target} exists but holds no executable chromium (not unpacked by apspec?): delete it and run again`);
    }
    throw err;
  }
  if (!(await isExecutable(layout.executablePath))) throw new Error(`${layout.executablePath} is not executable after unpacking; delete ${target} and run again`);
  return layout;
}
