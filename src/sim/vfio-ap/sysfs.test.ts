import { describe, expect, it } from 'vitest';
import type { MatrixAttr } from '../api';
import { assign, errnoOf, eventsOf, hostWithMdev, mdevOf, must, newHost, q } from '../__test__/fixtures';
import type { System } from '../system';

const ATTRS: MatrixAttr[] = [
  'assign_adapter',
  'unassign_adapter',
  'assign_domain',
  'unassign_domain',
  'assign_control_domain',
  'unassign_control_domain',
];

/** m1 (adapter 2, domain 4) opened by a minimal VMM's guest g1: matrix_mdev->kvm is set. */
function attached(): System {
  const sys = hostWithMdev();
  must(sys.vmm.create('g1'));
  must(sys.vmm.openMdev('m1', 'g1'));
  return sys;
}

// Reference §2.4 (E1 assign/unassign, in kernel order) and §2.5 (matrix, control_domains).
describe('mdev assignment attributes: check order', () => {
  it.each(ATTRS)('%s_store returns -EBUSY before parsing while a KVM is attached', (attr) => {
    const sys = attached();
    const r = sys.vfioAp.store('m1', attr, 'not a number');
    expect(errnoOf(r)).toBe('EBUSY');
    expect(r.ok ? '' : r.fn).toBe(`${attr}_store`);
  });

  it.each(ATTRS)('%s_store returns -EBUSY before the range check while a KVM is attached', (attr) => {
    const sys = attached();
    expect(errnoOf(sys.vfioAp.store('m1', attr, '999'))).toBe('EBUSY');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n');
  });

  it.each(ATTRS.flatMap((attr) => [
    [attr, 'abc', 'EINVAL'],
    [attr, '-1', 'EINVAL'],
    [attr, '0x', 'EINVAL'],
    [attr, '08', 'EINVAL'],
    [attr, '18446744073709551616', 'ERANGE'],
  ] as const))('%s_store(%j) returns kstrtoul\'s -%s', (attr, text, errno) => {
    const sys = hostWithMdev();
    expect(errnoOf(sys.vfioAp.store('m1', attr, text))).toBe(errno);
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n');
  });

  it.each(['3', '0x3', '03', '+3', '3\n'])('assign_adapter_store accepts %j as adapter 3', (text) => {
    const sys = hostWithMdev();
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', text))).toBe('ok');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n03.0004\n');
  });

  it.each([
    ['assign_adapter', '256'],
    ['unassign_adapter', '256'],
    ['assign_domain', '85'],
    ['unassign_domain', '85'],
    ['assign_control_domain', '85'],
    ['unassign_control_domain', '85'],
    ['assign_adapter', '18446744073709551615'],
  ] as const)('%s_store(%j) returns -ENODEV above apm_max 255 / aqm_max = adm_max 84 (Na, Nd with APXA)', (attr, text) => {
    const sys = hostWithMdev();
    const r = sys.vfioAp.store('m1', attr, text);
    expect(errnoOf(r)).toBe('ENODEV');
    expect(r.ok ? '' : r.fn).toBe(`${attr}_store`);
  });

  it('without APXA the limits are 63 and 15 (vfio_ap_matrix_init)', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.setApxa(false) });
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '64'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '63'))).toBe('EADDRNOTAVAIL');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '16'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_control_domain', '16'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_control_domain', '15'))).toBe('ok');
  });

  it('assign_adapter_store checks the range (-ENODEV) before the reservation even for a queue bound to vfio_ap', () => {
    // apm_max/aqm_max come from the QCI snapshot at module load (no APXA: 63/15). Turning APXA on
    // afterwards lets the AP bus create and bind queues 40.0004 and 02.0014 to vfio_ap.
    const sys = newHost();
    sys.host.setApxa(false);
    sys.host.configure([2, 0x40], [4, 0x14]);
    must(sys.apBus.reserveForPassThrough('apmask', [2, 0x40]));
    must(sys.vfioAp.load());
    sys.host.setApxa(true);
    expect(sys.apBus.driverOf(q('40.0004'))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('02.0014'))).toBe('vfio_ap');
    must(sys.vfioAp.createMdev('m1'));
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '64'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '20'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '2'))).toBe('ok');
  });
});

describe('assign_adapter / assign_domain: reservation (-EADDRNOTAVAIL)', () => {
  it('refuses an adapter none of whose queues is bound to vfio_ap, and leaves the bit clear', () => {
    const sys = hostWithMdev({ adapters: [], domains: [] });
    const r = sys.vfioAp.store('m1', 'assign_adapter', '0');
    expect(errnoOf(r)).toBe('EADDRNOTAVAIL');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_mdev_verify_queues_reserved_for_apid');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('');
  });

  it('refuses a domain no queue of which is bound to vfio_ap', () => {
    const sys = hostWithMdev({ adapters: [], domains: [] });
    const r = sys.vfioAp.store('m1', 'assign_domain', '16');
    expect(errnoOf(r)).toBe('EADDRNOTAVAIL');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_mdev_verify_queues_reserved_for_apqi');
  });

  it('with no domains assigned, one bound queue of the adapter suffices; with domains, every APQN must be bound', () => {
    // apmask -2 binds 02.*, aqmask -10 binds *.000a: 00.000a is bound, 00.0004 is not.
    const sys = hostWithMdev({ reserveAdapters: [2], reserveDomains: [10], adapters: [2], domains: [] });
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '10'))).toBe('ok');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '0'))).toBe('ok');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '4'))).toBe('EADDRNOTAVAIL');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('00.000a\n02.000a\n');
    must(sys.vfioAp.createMdev('m2'));
    assign(sys, 'm2', [], [4]);
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_adapter', '0'))).toBe('EADDRNOTAVAIL');
  });

  it('re-assigning an assigned adapter re-runs the checks, and the failed check leaves the old bit set', () => {
    const sys = hostWithMdev();
    must(sys.apBus.storeMask('apmask', '+2')); // 02.* go back to zcrypt
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '2'))).toBe('EADDRNOTAVAIL');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n');
  });

  it('checks the reservation before sharing: an unbound APQN that would also be shared gives -EADDRNOTAVAIL', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    assign(sys, 'm2', [], [4]);
    must(sys.apBus.storeMask('apmask', '+2'));
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_adapter', '2'))).toBe('EADDRNOTAVAIL');
  });
});

describe('assign_adapter / assign_domain: sharing (-EADDRINUSE)', () => {
  it('assign_adapter_store refuses an APQN another mdev holds and clears the bit again', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    assign(sys, 'm2', [], [4]);
    const from = sys.events.length;
    const r = sys.vfioAp.store('m2', 'assign_adapter', '2');
    expect(errnoOf(r)).toBe('EADDRINUSE');
    expect(r.ok ? '' : r.message).toContain('02.0004');
    expect(r.ok ? '' : r.message).toContain('m1');
    expect(sys.vfioAp.show('m2', 'matrix')).toBe('.0004\n');
    // order: reservation passed, bit set, sharing failed, bit cleared
    const fns = sys.events.slice(from).filter((e) => e.type === 'call').map((e) => e.fn);
    expect(fns).toEqual(['vfio_ap_mdev_verify_queues_reserved_for_apid', 'vfio_ap_mdev_verify_no_sharing', 'assign_adapter_store']);
  });

  it('assign_domain_store refuses an APQN another mdev holds and clears the bit again', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    assign(sys, 'm2', [2], [5]);
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_domain', '4'))).toBe('EADDRINUSE');
    expect(sys.vfioAp.show('m2', 'matrix')).toBe('02.0005\n');
  });

  it('accepts overlapping adapters when the domains are disjoint, and overlapping domains when the adapters are', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    assign(sys, 'm2', [2], [5]);
    must(sys.vfioAp.createMdev('m3'));
    assign(sys, 'm3', [3], [4]);
    expect(sys.vfioAp.show('m2', 'matrix')).toBe('02.0005\n');
    expect(sys.vfioAp.show('m3', 'matrix')).toBe('03.0004\n');
  });

  it('on -EADDRINUSE clears the bit even when it had been assigned before the write (clear_bit_inv in share_err)', () => {
    // A sharing state cannot be reached through the stores; build it directly.
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    const m2 = mdevOf(sys, 'm2');
    m2.matrix.apm.set(2);
    m2.matrix.aqm.set(4);
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_adapter', '2'))).toBe('EADDRINUSE');
    expect(m2.matrix.apm.test(2)).toBe(false);
    expect(sys.vfioAp.show('m2', 'matrix')).toBe('.0004\n');
  });
});

describe('control domains and unassign', () => {
  it('assign_control_domain_store has no reservation and no sharing check', () => {
    const sys = hostWithMdev();
    const from = sys.events.length;
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_control_domain', '0'))).toBe('ok'); // 00.0000 is zcrypt's
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_control_domain', '84'))).toBe('ok'); // no queue at all
    must(sys.vfioAp.createMdev('m2'));
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_control_domain', '0'))).toBe('ok'); // shared with m1
    expect(sys.events.slice(from).filter((e) => e.fn.startsWith('vfio_ap_mdev_verify'))).toEqual([]);
    expect(sys.vfioAp.show('m1', 'control_domains')).toBe('0000\n0054\n');
    expect(sys.vfioAp.show('m2', 'control_domains')).toBe('0000\n');
  });

  it.each([
    ['unassign_adapter', '3', '02.0004\n'],
    ['unassign_adapter', '2', '.0004\n'],
    ['unassign_domain', '5', '02.0004\n'],
    ['unassign_domain', '4', '02.\n'],
  ] as const)('%s_store(%j) clears the bit whether or not it was set: matrix %j', (attr, text, matrix) => {
    const sys = hostWithMdev();
    expect(errnoOf(sys.vfioAp.store('m1', attr, text))).toBe('ok');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe(matrix);
  });

  it('unassign_control_domain_store clears the bit and unassigning never resets a queue', () => {
    const sys = hostWithMdev({ controlDomains: [4, 5] });
    const from = sys.events.length;
    must(sys.vfioAp.store('m1', 'unassign_control_domain', '4'));
    must(sys.vfioAp.store('m1', 'unassign_control_domain', '6'));
    must(sys.vfioAp.store('m1', 'unassign_adapter', '2'));
    expect(sys.vfioAp.show('m1', 'control_domains')).toBe('0005\n');
    expect(eventsOf(sys, 'ap_zapq', from)).toEqual([]);
  });

  it('unassigning does not need the queue bound to vfio_ap (no reservation check)', () => {
    const sys = hostWithMdev();
    must(sys.apBus.storeMask('apmask', '+2'));
    expect(errnoOf(sys.vfioAp.store('m1', 'unassign_adapter', '2'))).toBe('ok');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('.0004\n');
  });
});

describe('matrix and control_domains attributes (§2.5)', () => {
  function wide(adapters: number[], domains: number[], controlDomains: number[] = []): System {
    return hostWithMdev({
      setup: (s) => s.host.configure([2, 10], [4, 0x47]),
      reserveAdapters: [2, 10],
      adapters,
      domains,
      controlDomains,
    });
  }

  it('lists one %02lx.%04lx line per APQN in APID-major order when adapters and domains are assigned', () => {
    expect(wide([10, 2], [0x47, 4]).vfioAp.show('m1', 'matrix')).toBe('02.0004\n02.0047\n0a.0004\n0a.0047\n');
  });

  it('lists "%02lx." lines with only adapters, ".%04lx" lines with only domains, nothing when empty', () => {
    expect(wide([10, 2], []).vfioAp.show('m1', 'matrix')).toBe('02.\n0a.\n');
    expect(wide([], [0x47, 4]).vfioAp.show('m1', 'matrix')).toBe('.0004\n.0047\n');
    expect(wide([], []).vfioAp.show('m1', 'matrix')).toBe('');
  });

  it('lists control domains as %04lx lines in ascending order, independent of usage domains', () => {
    const sys = wide([2], [4], [0x54, 0, 0xb]);
    expect(sys.vfioAp.show('m1', 'control_domains')).toBe('0000\n000b\n0054\n');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n');
  });

  it('does not show bits above apm_max / aqm_max / adm_max', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.setApxa(false) });
    const m = mdevOf(sys, 'm1');
    m.matrix.apm.set(100);
    m.matrix.aqm.set(20);
    m.matrix.adm.set(20);
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n');
    expect(sys.vfioAp.show('m1', 'control_domains')).toBe('');
  });
});
