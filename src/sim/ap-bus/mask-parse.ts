/**
 * Parsing of apmask/aqmask writes (ap_parse_mask_str, hex2bitmap, modify_bitmap in
 * drivers/s390/crypto/ap_bus.c; reference §1.2). A string starting with `+` or `-` edits the current
 * mask; anything else is an absolute hex value that replaces it.
 *
 * Reference §5.11 (open question): the 4.20 store code was not read for the reference. apspec
 * follows the parsing functions as they stand in ap_bus.c from the v7 series on (unchanged in shape
 * since), including their `int` variables before the later "unsigned long" fix; the 5.18 `in_use`
 * veto is not part of 4.20 and is not modelled.
 */
import { Bitmap256 } from '../bitmap';

export type MaskParse =
  | { readonly kind: 'ok'; readonly mask: Bitmap256 }
  | { readonly kind: 'einval'; readonly why: string }
  /** 4.20's modify_bitmap keeps its values in `int`: a number above INT_MAX turns negative and
   * set_bit_inv/clear_bit_inv write outside the bitmap. Fixed later ("use unsigned long values for
   * the internal variables", Cc stable); apspec models the 4.20 crash. */
  | { readonly kind: 'oops'; readonly why: string };

const BITS = 256;

/** hex2bitmap: optional "0x" (or "x"), up to 64 hex digits MSB-first, optional newline, nothing else. */
export function hex2bitmap(text: string): MaskParse {
  let i = 0;
  if (text[0] === '0' && text[1] === 'x') i++;
  if (text[i] === 'x') i++;
  const mask = new Bitmap256();
  let bit = 0;
  for (; i < text.length && isXdigit(text[i]!) && bit < BITS; i++) {
    const b = parseInt(text[i]!, 16);
    for (let n = 0; n < 4; n++) if (b & (0x08 >> n)) mask.set(bit + n);
    bit += 4;
  }
  if (text[i] === '\n') i++;
  if (i < text.length)
    return { kind: 'einval', why: `unexpected "${text.slice(i)}" after ${bit / 4} hex digits (at most 64 hex digits, MSB = id 0)` };
  return { kind: 'ok', mask };
}

/** simple_strtoul(str, &end, 0): base from the prefix, stops at the first non-digit, wraps silently. */
function simpleStrtoul(text: string, from: number): { value: bigint; end: number } {
  let i = from;
  let base = 10;
  if (text[i] === '0') {
    if ((text[i + 1] === 'x' || text[i + 1] === 'X') && isXdigit(text[i + 2] ?? '')) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let value = 0n;
  const start = i;
  for (; i < text.length; i++) {
    const d = digitValue(text[i]!);
    if (d < 0 || d >= base) break;
    value = (value * BigInt(base) + BigInt(d)) & 0xffffffffffffffffn;
  }
  // For base 8 a lone "0" is a digit too: start points at it.
  return { value, end: i === start && base === 10 ? from : i };
}

/** The 4.20 `int` truncation of an unsigned long. */
function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** modify_bitmap: `+a`, `-a`, `+a-b`, `-a-b` terms joined by `,`; the last operation on a bit wins. */
export function modifyBitmap(text: string, current: Bitmap256): MaskParse {
  const mask = current.clone();
  let i = 0;
  while (i < text.length) {
    const sign = text[i++];
    if (sign !== '+' && sign !== '-') return { kind: 'einval', why: `term "${text.slice(i - 1)}" must start with + or -` };
    const first = simpleStrtoul(text, i);
    const a = toInt32(first.value);
    if (first.end === i) return { kind: 'einval', why: `no number after "${sign}"` };
    if (a < 0) return { kind: 'oops', why: `${first.value} does not fit modify_bitmap's int and becomes ${a}` };
    if (a >= BITS) return { kind: 'einval', why: `${a} is not an id from 0 to 255` };
    i = first.end;
    let z = a;
    if (text[i] === '-') {
      const second = simpleStrtoul(text, ++i);
      z = toInt32(second.value);
      if (second.end === i) return { kind: 'einval', why: 'no number after "-" in a range' };
      if (z < 0) return { kind: 'oops', why: `${second.value} does not fit modify_bitmap's int and becomes ${z}` };
      if (a > z || z >= BITS) return { kind: 'einval', why: `range ${a}-${z} is empty or reaches beyond 255` };
      i = second.end;
    }
    for (let id = a; id <= z; id++) (sign === '+' ? mask.set(id) : mask.clear(id));
    while (text[i] === ',' || text[i] === '\n') i++;
  }
  return { kind: 'ok', mask };
}

/** ap_parse_mask_str without the lock. */
export function parseMaskString(text: string, current: Bitmap256): MaskParse {
  return text[0] === '+' || text[0] === '-' ? modifyBitmap(text, current) : hex2bitmap(text);
}

function isXdigit(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

function digitValue(c: string): number {
  const code = c.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}
