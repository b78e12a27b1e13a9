/**
 * The worked examples of docs/writing-features.md and docs/writing-policies.md run as documented:
 * the ```gherkin block passes under cucumber-js and under every policy of the matrix; the ```ts
 * policy loads and, through createSystem (the decision seam the steps use), does what the doc says.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { getPolicy, POLICY_IDS, resolvePolicy } from '../../src/policies';
import { runMatrix } from '../../src/runner/run-matrix';
import type { Policy } from '../../src/sim/decisions';
import { createSystem } from '../../src/sim/system';
import { formatTrace } from '../../src/sim/trace';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'apspec-doc-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one fenced block of `lang` in a doc. */
function block(doc: string, lang: string): string {
  const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
  const blocks = [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  expect(blocks, `${doc} has one \`\`\`${lang} block`).toHaveLength(1);
  return blocks[0]!;
}

describe('docs/writing-features.md', () => {
  const feature = join(dir, 'no-sharing.feature');
  writeFileSync(feature, block('writing-features.md', 'gherkin'));

  it('its example feature passes under cucumber-js (policy v11)', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/cucumber-js'), [feature], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(r.stdout + r.stderr).toMatch(/2 scenarios \(2 passed\)/);
    expect(r.status).toBe(0);
  });

  it('and under every policy, as the doc says', async () => {
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const out = join(dir, 'out');
    const result = await runMatrix({ paths: [feature], outDir: out, verdictsPath: join(out, 'none.json') }, { cwd: ROOT, stdout: sink, stderr: sink, env: {} });
    if (result.status !== 'done') throw new Error('the matrix did not finish');
    expect(result.report.scenarios).toHaveLength(2);
    for (const s of result.report.scenarios) for (const id of POLICY_IDS) expect(s.results[id]?.status, `${s.name} under ${id}`).toBe('passed');
  });
});

describe('docs/writing-policies.md', () => {
  async function loadPolicy(): Promise<Policy> {
    const file = join(dir, 'crycb-pointer.ts');
    writeFileSync(file, block('writing-policies.md', 'ts'));
    const mod = (await import(file)) as { default: Policy };
    return mod.default;
  }

  it('its example policy loads, with the id, title and choices the doc describes', async () => {
    const policy = await loadPolicy();
    expect(policy.id).toBe('crycb-pointer');
    expect(policy.choices['vfio_ap.init']).toBe('ap-instructions');
    expect(typeof policy.choices['vfio_ap.open.validate']).toBe('function');
  });

  it('R3: the masks are written at open with APIE off, and enabling APIE later gives the guest its queue', async () => {
    const sys = createSystem({ policy: resolvePolicy(await loadPolicy(), getPolicy) });
    for (const outcome of [
      sys.apBus.reserveForPassThrough('apmask', [2, 3]),
      sys.vfioAp.load(),
      sys.vfioAp.createMdev('m1'),
      sys.vfioAp.store('m1', 'assign_adapter', '2'),
      sys.vfioAp.store('m1', 'assign_domain', '4'),
      sys.qemu.start('g1'),
      sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'),
      sys.vmm.openMdev('m1', 'g1'),
      sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'),
    ])
      expect(outcome.ok).toBe(true);
    expect(formatTrace(sys.events)).toMatch(/decision vfio_ap\.open\.validate = custom -> accept/);
    expect(sys.inspect.apInterpreted('g1')).toBe(true);
    expect(sys.guest.scan('g1')).toEqual([0x0204]);
  });

  it('R5: without MSAX3 on a KVM that gives a CRYCB only with MSAX3, the open is refused and the host survives it', async () => {
    const sys = createSystem({ policy: resolvePolicy(await loadPolicy(), getPolicy) });
    sys.host.setKvmCrycbOnlyWithMsax3();
    sys.host.setFacility(76, false);
    for (const outcome of [
      sys.apBus.reserveForPassThrough('apmask', [2, 3]),
      sys.vfioAp.load(),
      sys.vfioAp.createMdev('m1'),
      sys.vfioAp.store('m1', 'assign_adapter', '2'),
      sys.vfioAp.store('m1', 'assign_domain', '4'),
    ])
      expect(outcome.ok).toBe(true);
    sys.qemu.start('g1', { mdev: 'm1' });
    expect(formatTrace(sys.events)).toMatch(/decision vfio_ap\.open\.validate = custom -> reject/);
    expect(sys.oops).toBeUndefined();
  });
});
