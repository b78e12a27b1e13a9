import { describe, expect, it } from 'vitest';
import { fastParseFFOrSafari, loadParser, ORIGINAL } from './error-stack-shim';

describe("error-stack-parser's Firefox/Safari path, without its backtracking regexp", () => {
  const { parser, StackFrame } = loadParser();
  const original = (parser as unknown as Record<symbol, typeof parser.parseFFOrSafari>)[ORIGINAL] ?? parser.parseFFOrSafari;
  const fast = fastParseFFOrSafari(parser, StackFrame, original);

  it.each([
    'step error: {ids} "256" is not a list of AP ids: "256" is not an id; write ids (decimal 5 or hex 0x05, from 0 to 255)',
    'expected "the vfio_ap module is loaded" to fail with ENODEV, but the simulated stack accepted it (returned 0)\n  Last 8 of 8 trace events (policy v11):\n  [ap-bus] ap_module_init(ap instructions: yes) -> 0\n  [vfio-ap] vfio_ap_mdev_set_kvm(m1: kvm = "g1") -> 0',
    'a line without a colon\n\n[native code]\neval@',
    'fn@file.js:1:2\n"quoted": and a colon',
    'x line 4 > eval line 2 > eval:3:1',
  ])('gives the same frames as the original for %j', (stack) => {
    expect(JSON.stringify(fast.call(parser, { stack }))).toBe(JSON.stringify(original.call(parser, { stack })));
  });
});
