import { describe, expect, it } from 'vitest';
import { LINUX_420, assign, must, newHost, policyWith, q } from './__test__/fixtures';
import type { Policy } from './decisions';
import { HostCrashedError, System } from './system';

/** A long operation sequence touching every layer, failures included. */
function script(policy: Policy): System {
  const sys = newHost(policy);
  sys.host.configure([1, 2, 3, 200], [4, 5, 80]);
  sys.host.setControlDomains([4, 5, 6]);
  sys.apBus.storeMask('apmask', '-2,-3,-200');
  sys.apBus.storeMask('aqmask', '+0-3,-80');
  sys.apBus.storeMask('apmask', 'zz'); // EINVAL
  sys.vfioAp.load();
  sys.vfioAp.createMdev('m1');
  sys.vfioAp.createMdev('m2');
  sys.vfioAp.createMdev('m1'); // EEXIST
  assign(sys, 'm1', [2, 200], [4, 80], [6]);
  sys.vfioAp.store('m2', 'assign_domain', '4');
  sys.vfioAp.store('m2', 'assign_adapter', '2'); // EADDRINUSE
  sys.vfioAp.store('m2', 'assign_adapter', '1'); // EADDRNOTAVAIL
  sys.vfioAp.store('m2', 'assign_adapter', '3');
  sys.qemu.start('g1', { mdev: 'm1' });
  sys.vmm.create('g2');
  sys.vmm.setCryptoAttr('g2', 'ENABLE_APIE');
  sys.vmm.openMdev('m2', 'g2');
  sys.vfioAp.store('m1', 'assign_domain', '5'); // EBUSY
  sys.host.setQueueResponseCode(q('02.0004'), 0x05);
  sys.qemu.systemReset('g1');
  sys.guest.scan('g1');
  sys.guest.execute('g2', 'PQAP(TAPQ)', q('03.0004'));
  sys.guest.execute('g2', 'NQAP', q('03.0004'));
  sys.vmm.setCryptoAttr('g2', 'DISABLE_APIE');
  sys.guest.execute('g2', 'DQAP', q('03.0004'));
  sys.apBus.storeMask('apmask', '+3');
  sys.vmm.closeMdev('m2');
  sys.qemu.deviceDel('g1', 'm1');
  sys.qemu.shutdown('g1');
  sys.vfioAp.removeMdev('m1');
  return sys;
}

/** Everything a report or a test can read from a System, as JSON. */
function observe(sys: System): string {
  return JSON.stringify({
    events: sys.events,
    decisions: [...sys.decisionsTaken],
    oops: sys.oops ?? null,
    masks: [sys.apBus.showMask('apmask'), sys.apBus.showMask('aqmask')],
    m2: [sys.vfioAp.show('m2', 'matrix'), sys.vfioAp.show('m2', 'control_domains')],
    g2: [sys.inspect.crycb('g2'), sys.inspect.apInterpreted('g2'), sys.inspect.hasGuest('g1')],
    drivers: [q('02.0004'), q('03.0004'), q('c8.0050')].map((x) => sys.apBus.driverOf(x)),
    clock: sys.k.clockMs,
  });
}

describe('determinism', () => {
  it('two runs of the same operation sequence give identical events and identical state', () => {
    const a = script(LINUX_420);
    const b = script(LINUX_420);
    expect(a.events.length).toBeGreaterThan(100);
    expect(observe(a)).toBe(observe(b));
  });

  it('the comparison is sharp: the same sequence under another policy gives other events', () => {
    const other = policyWith('reject-open', { 'vfio_ap.open.validate': () => ({ ok: false, errno: 'EPERM', why: 'test' }) });
    expect(observe(script(LINUX_420))).not.toBe(observe(script(other)));
  });

  it('every event names the kernel function and carries an outcome string', () => {
    for (const e of script(LINUX_420).events) {
      expect(e.fn).toMatch(/\S/);
      expect(typeof e.outcome).toBe('string');
    }
  });
});

describe('host crash', () => {
  function crashed(): System {
    const sys = newHost(policyWith('no-check', { 'vfio_ap.open.validate': 'none' }));
    sys.host.setKvmCrycbOnlyWithMsax3();
    sys.host.setFacility(76, false);
    must(sys.apBus.reserveForPassThrough('apmask', [2, 3]));
    must(sys.vfioAp.load());
    must(sys.vfioAp.createMdev('m1'));
    assign(sys, 'm1', [2], [4]);
    must(sys.vmm.create('g1'));
    must(sys.vmm.create('g2'));
    sys.vmm.openMdev('m1', 'g1');
    return sys;
  }

  it('records an oops naming the function that wrote through the NULL CRYCB', () => {
    const sys = crashed();
    expect(sys.oops).toMatchObject({ type: 'oops', layer: 'kvm', fn: 'kvm_arch_crypto_set_masks', outcome: 'oops' });
    expect(sys.oops?.detail).toContain('g1');
    expect(sys.events.filter((e) => e.type === 'oops')).toEqual([sys.oops]);
  });

  it('refuses every later operation, naming the oops, without adding events', () => {
    const sys = crashed();
    const n = sys.events.length;
    const ops = [
      () => sys.vfioAp.load(),
      () => sys.vfioAp.unload(),
      () => sys.vfioAp.createMdev('m2'),
      () => sys.vfioAp.removeMdev('m1'),
      () => sys.vfioAp.store('m1', 'unassign_adapter', '2'),
      () => sys.apBus.storeMask('apmask', '+2'),
      () => sys.apBus.reserveForPassThrough('aqmask', [4]),
      () => sys.qemu.start('g3'),
      () => sys.qemu.systemReset('g1'),
      () => sys.qemu.shutdown('g1'),
      () => sys.vmm.create('g4'),
      () => sys.vmm.setCryptoAttr('g2', 'ENABLE_APIE'),
      () => sys.vmm.enableCpuFeatAp('g2'),
      () => sys.vmm.openMdev('m1', 'g2'),
      () => sys.vmm.closeMdev('m1'),
      () => sys.vmm.resetMdev('m1'),
      () => sys.vmm.getDeviceInfo('m1'),
    ];
    for (const op of ops) {
      const r = op();
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.fn).toBe('kvm_arch_crypto_set_masks');
      expect(r.ok ? '' : r.message).toContain('crashed');
    }
    expect(sys.events.length).toBe(n);
    expect(() => sys.guest.scan('g2')).toThrow(HostCrashedError);
    expect(() => sys.guest.execute('g2', 'PQAP(TAPQ)', q('02.0004'))).toThrow(/oops in kvm_arch_crypto_set_masks/);
    expect(sys.vfioAp.hasMdev('m1')).toBe(true);
  });

  it('keeps the first oops as the crash even if another is recorded', () => {
    const sys = crashed();
    const first = sys.oops;
    sys.k.oops('ap-bus', 'modify_bitmap', 'second');
    expect(sys.oops).toBe(first);
  });
});

describe('host descriptions that only make sense before boot', () => {
  it("an adapter's AP device type is refused once the host booted (the AP bus already typed its devices), naming the step to move", () => {
    const sys = newHost();
    expect(sys.host.setAdapterType(3, 7).ok).toBe(true);
    sys.vfioAp.load(); // the first action boots the host
    const r = sys.host.setAdapterType(3, 10);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain('before the scenario\'s first action');
    expect(sys.machine.adapters.get(3)).toBe(7);
  });

  it("the highest adapter and domain ids (QCI Na/Nd) bound the ids an mdev accepts", () => {
    const sys = newHost();
    sys.host.setMaxIds(15, 7);
    sys.apBus.reserveForPassThrough('apmask', [2]);
    must(sys.vfioAp.load());
    must(sys.vfioAp.createMdev('m1'));
    expect(sys.vfioAp.store('m1', 'assign_adapter', '16')).toMatchObject({ ok: false, errno: 'ENODEV' });
    expect(sys.vfioAp.store('m1', 'assign_domain', '8')).toMatchObject({ ok: false, errno: 'ENODEV' });
    expect(sys.vfioAp.store('m1', 'assign_control_domain', '7').ok).toBe(true);
  });
});
