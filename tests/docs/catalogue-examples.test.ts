/**
 * The step catalogue's examples (docs/steps.md) are written for the default host of
 * `Given an s390 host`: an example that names a domain or control domain beyond the host's Nd, or an
 * adapter beyond its Na, would fail with ENODEV when pasted into a scenario (0xab did, as a control
 * domain: assign_control_domain refuses an id above adm_max).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/docs/generate-steps';
import { DEFAULT_NA, DEFAULT_ND } from '../../src/sim/firmware/machine';
import { STEP_MODULES } from './step-modules';

const STEPS = STEP_MODULES;

const ID = String.raw`0[xX][0-9a-fA-F]+|\d+`;
/** Every id an example names after "adapter(s)", "domain(s)" or "control domain(s)", ranges and lists included. */
export function idsNamed(example: string): { kind: 'adapter' | 'domain'; id: number }[] {
  const out: { kind: 'adapter' | 'domain'; id: number }[] = [];
  const list = new RegExp(String.raw`\b(adapters?|(?:control )?domains?)(?:\s+are)?\s+((?:(?:${ID})(?:-(?:${ID}))?)(?:(?:\s*,\s*|\s+and\s+)(?:(?:${ID})(?:-(?:${ID}))?))*)`, 'g');
  for (const m of example.matchAll(list)) {
    const kind = m[1]!.startsWith('adapter') ? 'adapter' : 'domain';
    for (const part of m[2]!.split(/\s*,\s*|\s+and\s+/))
      for (const n of part.split('-')) out.push({ kind, id: Number(n) });
  }
  return out;
}

describe('the step catalogue examples', () => {
  it('finds ids in example text (the checker is not looking at nothing)', () => {
    expect(idsNamed('Given mediated device "m1" has control domains 4 and 0xab')).toEqual([
      { kind: 'domain', id: 4 },
      { kind: 'domain', id: 0xab },
    ]);
    expect(idsNamed("Given the host's control domains are 0-15 and 0x20").map((i) => i.id)).toEqual([0, 15, 0x20]);
    expect(idsNamed('Given adapters 2 and 3 are reserved for pass-through').map((i) => i.id)).toEqual([2, 3]);
  });

  it(`name only adapters up to Na (${DEFAULT_NA}) and domains up to Nd - 1 (${DEFAULT_ND - 1}) of the default host`, async () => {
    const catalogue = await loadCatalogue((file) => {
      const load = STEPS[file];
      if (!load) throw new Error(`tests/docs/catalogue-examples.test.ts: add ${file} to STEPS`);
      return load();
    });
    const entries = catalogue.groups.flatMap((g) => g.entries);
    expect(entries.length).toBeGreaterThan(40);
    const outOfRange = entries.flatMap((e) =>
      idsNamed(e.example)
        .filter(({ kind, id }) => (kind === 'adapter' ? id > DEFAULT_NA : id >= DEFAULT_ND))
        .map(({ kind, id }) => `${e.example}: ${kind} ${id}`),
    );
    expect(outOfRange).toEqual([]);
  });
});
