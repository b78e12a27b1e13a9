/**
 * Cucumber's error formatting without error-stack-parser's backtracking on apspec's messages.
 *
 * Why: for every failed step cucumber's `formatError` parses `error.stack` with error-stack-parser.
 * apspec's step errors carry no JavaScript stack (steps/support/errors.ts sets `stack` to the
 * teaching message), so the parser takes its Firefox/Safari path and runs
 * `/((.*".+"[^@]*)?[^@]*)(?:@)/` over every line of the message. On a line with quotes and no `@`
 * (trace lines such as `vfio_ap_mdev_set_kvm(m1: kvm = "g1")`) that regexp cannot match, but it
 * backtracks polynomially before saying so: measured at about 1.2 s of CPU per worker for one
 * `npm start` (15% of a worker's time), none of it in the floor, whose steps never fail.
 *
 * How: `parseFFOrSafari` is wrapped. A line without `@` is turned into the frame the original
 * builds for it (the regexp can only fail there, so the function name is undefined and the location
 * comes from the library's own `extractLocation`); any line with `@` still goes to the original.
 *
 * Safety: at load the wrapper is compared with the original on probe stacks; if this version of
 * error-stack-parser is shaped differently, the original is kept. src/perf/error-stack-shim.test.ts
 * compares them on apspec-like messages. APSPEC_NO_SHIM=1 turns it off, as for the regexp shim.
 */
import { createRequire } from 'node:module';

interface Frame {
  [key: string]: unknown;
}
interface Parser {
  parseFFOrSafari(error: { stack: string }): Frame[];
  extractLocation(url: string): [string, string | undefined, string | undefined];
  [ORIGINAL]?: Parser['parseFFOrSafari'];
}

export const ORIGINAL = Symbol.for('apspec.errorStackShim.original');
const SAFARI_NATIVE_CODE = /^(eval@)?(\[native code])?$/;

/** The error-stack-parser cucumber itself loads (resolved from cucumber's folder). */
export function loadParser(): { parser: Parser; StackFrame: new (o: Frame) => Frame } {
  const fromCucumber = createRequire(require.resolve('@cucumber/cucumber'));
  const parserPath = fromCucumber.resolve('error-stack-parser');
  const parser = fromCucumber(parserPath) as Parser;
  const StackFrame = createRequire(parserPath)('stackframe') as new (o: Frame) => Frame;
  return { parser, StackFrame };
}

export function fastParseFFOrSafari(parser: Parser, StackFrame: new (o: Frame) => Frame, original: Parser['parseFFOrSafari']) {
  return function parseFFOrSafari(this: Parser, error: { stack: string }): Frame[] {
    if (error.stack.includes('@')) return original.call(this, error);
    return error.stack
      .split('\n')
      .filter((line) => !SAFARI_NATIVE_CODE.test(line))
      .map((raw) => {
        const line = raw.includes(' > eval') ? raw.replace(/ line (\d+)(?: > eval line \d+)* > eval:\d+:\d+/g, ':$1') : raw;
        if (!line.includes(':')) return new StackFrame({ functionName: line });
        const [fileName, lineNumber, columnNumber] = parser.extractLocation.call(this, line);
        return new StackFrame({ functionName: undefined, fileName, lineNumber, columnNumber, source: line });
      });
  };
}

function install(): 'installed' | 'off' | 'unrecognised' {
  if (process.env.APSPEC_NO_SHIM === '1') return 'off';
  const { parser, StackFrame } = loadParser();
  if (parser[ORIGINAL]) return 'installed';
  const original = parser.parseFFOrSafari;
  const patched = fastParseFFOrSafari(parser, StackFrame, original);
  const probes = ['expected "x" to fail with ENODEV:\n  [vfio-ap] vfio_ap_init(m1: "g1") -> 0\nplain line', 'a@b.js:1:2\nno colon here', 'eval line 3 > eval:1:2 x'];
  const same = probes.every((stack) => JSON.stringify(patched.call(parser, { stack })) === JSON.stringify(original.call(parser, { stack })));
  if (!same) return 'unrecognised';
  parser[ORIGINAL] = original;
  parser.parseFFOrSafari = patched;
  return 'installed';
}

install();
