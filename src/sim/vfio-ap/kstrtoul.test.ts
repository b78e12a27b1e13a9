import { describe, expect, it } from 'vitest';
import { kstrtoul } from './kstrtoul';

// kstrtoul(buf, 0, &val) (lib/kstrtox.c) as the assign_* stores call it (reference §2.4).
describe('kstrtoul(buf, 0)', () => {
  it.each([
    ['5', 5n],
    ['+5', 5n],
    ['5\n', 5n],
    ['0', 0n],
    ['0\n', 0n],
    ['010', 8n],
    ['0x1f', 31n],
    ['0X1F', 31n],
    ['0xff\n', 255n],
    ['18446744073709551615', 0xffffffffffffffffn],
    ['0xffffffffffffffff', 0xffffffffffffffffn],
  ])('accepts %j as %s', (text, value) => {
    expect(kstrtoul(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['0x', 'a lone 0x is base 8: "0" then a stray "x"'],
    ['08', '8 is not an octal digit'],
    ['09', '9 is not an octal digit'],
    ['-1', 'no sign other than +'],
    ['++5', 'only one +'],
    ['+', 'no digits'],
    ['', 'empty'],
    ['\n', 'only a newline'],
    [' 5', 'leading space'],
    ['5 ', 'trailing space'],
    ['5\n\n', 'two newlines'],
    ['5x', 'trailing garbage'],
    ['0xg', '0x needs a hex digit after it'],
    ['abc', 'hex digits without 0x'],
  ])('rejects %j with EINVAL (%s)', (text) => {
    expect(kstrtoul(text)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('returns ERANGE for 2^64 (one above ULONG_MAX)', () => {
    expect(kstrtoul('18446744073709551616')).toEqual({ ok: false, errno: 'ERANGE' });
    expect(kstrtoul('0x10000000000000000')).toEqual({ ok: false, errno: 'ERANGE' });
  });

  it('reports ERANGE before looking at trailing characters (_parse_integer overflow first)', () => {
    expect(kstrtoul('99999999999999999999x')).toEqual({ ok: false, errno: 'ERANGE' });
  });
});
