/**
 * kstrtoul(buf, 0, &val) as the assign_* stores call it (lib/kstrtox.c): an optional '+', then
 * "0x" + hex (only if a hex digit follows), "0" + octal, or decimal; one trailing newline allowed;
 * anything else -EINVAL; a value above ULONG_MAX -ERANGE.
 */
export type Kstrtoul = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly errno: 'EINVAL' | 'ERANGE' };

const ULONG_MAX = 0xffffffffffffffffn;

export function kstrtoul(text: string): Kstrtoul {
  let s = text;
  if (s[0] === '+') s = s.slice(1);
  let base = 10;
  let i = 0;
  if (s[0] === '0') {
    if ((s[1] === 'x' || s[1] === 'X') && /^[0-9a-fA-F]$/.test(s[2] ?? '')) {
      base = 16;
      i = 2;
    } else base = 8;
  }
  let value = 0n;
  let digits = 0;
  let overflow = false;
  for (; i < s.length; i++) {
    const c = s[i]!.toLowerCase();
    const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'f' ? c.charCodeAt(0) - 87 : -1;
    if (d < 0 || d >= base) break;
    value = value * BigInt(base) + BigInt(d);
    if (value > ULONG_MAX) overflow = true;
    digits++;
  }
  if (overflow) return { ok: false, errno: 'ERANGE' };
  if (digits === 0) return { ok: false, errno: 'EINVAL' };
  if (s[i] === '\n') i++;
  if (i !== s.length) return { ok: false, errno: 'EINVAL' };
  return { ok: true, value };
}
