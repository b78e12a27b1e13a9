/**
 * A reader for the plain ustar archives inside @sparticuz/chromium (bin/al2023.tar.br: the NSS and
 * expat libraries; bin/fonts.tar.br: Open Sans). Only regular files and directories are accepted:
 * the archive comes from disk, so a link, a device, an absolute name or a `..` is refused rather
 * than followed, and a header whose checksum does not add up stops the read.
 */
import { posix } from 'node:path';

export interface UstarEntry {
  /** Normalised relative path with forward slashes, no trailing slash. */
  readonly name: string;
  readonly type: 'file' | 'directory';
  /** Permission bits from the header (0o777 at most). */
  readonly mode: number;
  readonly data: Buffer;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number, what: string, archive: string): number {
  const text = field(header, start, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`${archive}: the ${what} field of a tar header is not octal ("${text}"); the archive is damaged`);
  return text === '' ? 0 : parseInt(text, 8);
}

/** The header checksum: the byte sum with the checksum field itself counted as eight spaces. */
function checksumOf(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** Every entry of `tar`, in archive order. `archive` names the file in error messages. */
export function readUstar(tar: Buffer, archive: string): UstarEntry[] {
  const entries: UstarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    // Two zero blocks end the archive; one is enough to stop reading.
    if (header.every((b) => b === 0)) return entries;
    if (checksumOf(header) !== octal(header, 148, 8, 'checksum', archive))
      throw new Error(`${archive}: a tar header at byte ${offset} fails its checksum; the archive is damaged (reinstall with \`npm ci\`)`);
    const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
    const rawName = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const size = octal(header, 124, 12, 'size', archive);
    const mode = octal(header, 100, 8, 'mode', archive) & 0o777;
    const flag = String.fromCharCode(header[156]!);
    const type = flag === '0' || flag === '\0' ? 'file' : flag === '5' ? 'directory' : undefined;
    if (!type) throw new Error(`${archive}: entry "${rawName}" has tar type "${flag}"; only files and directories are unpacked`);
    const name = posix.normalize(rawName).replace(/\/+$/, '');
    if (rawName.startsWith('/') || name === '..' || name.startsWith('../') || name === '.' || name === '')
      throw new Error(`${archive}: entry "${rawName}" would land outside the directory it is unpacked into`);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new Error(`${archive}: entry "${name}" is cut short (${size} bytes announced, ${tar.length - start} left)`);
    entries.push({ name, type, mode, data: type === 'file' ? tar.subarray(start, start + size) : Buffer.alloc(0) });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
