import { describe, expect, it } from 'vitest';
import type { GuestInstruction } from '../api';
import { eventsOf, hostWithMdev, must, newHost, q } from '../__test__/fixtures';
import type { System } from '../system';

const ALL: GuestInstruction[] = ['PQAP(TAPQ)', 'PQAP(QCI)', 'PQAP(RAPQ)', 'PQAP(ZAPQ)', 'PQAP(AQIC)', 'NQAP', 'DQAP'];
const OPERATION = { kind: 'exception', exception: 'operation' } as const;
const SPECIFICATION = { kind: 'exception', exception: 'specification' } as const;
const OK = { kind: 'completed', cc: 0, rc: 0x00 } as const;
const NOT_AVAIL = { kind: 'completed', cc: 3, rc: 0x01 } as const;

/** m1 = adapters 2,3 x domains 4,5 opened by QEMU -cpu host for g1. */
function running(cpuModel = 'host'): System {
  const sys = hostWithMdev({ adapters: [2, 3], domains: [4, 5] });
  must(sys.qemu.start('g1', { cpuModel, mdev: 'm1' }));
  return sys;
}

// Reference §2.12: interpretation (ECA.28 = 1) vs intercept (ECA.28 = 0).
describe('interpretation vs intercept', () => {
  it.each(ALL)('with ECA.28 clear %s is intercepted, exits to the VMM and becomes an operation exception', (insn) => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const from = sys.events.length;
    expect(sys.guest.execute('g1', insn, q('02.0004'))).toEqual(OPERATION);
    expect(eventsOf(sys, 'kvm_handle_sie_intercept', from)).toHaveLength(1);
    expect(eventsOf(sys, 'handle_instruction', from)[0]!.outcome).toBe('inject PGM_OPERATION');
  });

  it('QEMU with -cpu host,ap=off does not enable APIE and its guest gets operation exceptions', () => {
    const sys = hostWithMdev();
    must(sys.qemu.start('g1', { cpuModel: 'host,ap=off' }));
    expect(sys.inspect.apInterpreted('g1')).toBe(false);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual(OPERATION);
    expect(sys.guest.scan('g1')).toEqual([]);
  });

  it('QEMU refuses a vfio-ap device when the CPU model has ap=off (no ap-bus)', () => {
    const sys = hostWithMdev();
    const r = sys.qemu.start('g1', { cpuModel: 'host,ap=off', mdev: 'm1' });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain("No 'ap-bus' bus found");
    expect(sys.inspect.hasGuest('g1')).toBe(false);
  });

  it('with ECA.28 set only PQAP(AQIC) is still intercepted (4.20 has no handler: operation exception)', () => {
    const sys = running();
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual(OPERATION);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual(OK);
  });

  it('on a host without AP instructions firmware raises the operation exception itself (no intercept)', () => {
    const sys = newHost();
    sys.host.removeApInstructions();
    must(sys.vmm.create('g1'));
    const from = sys.events.length;
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('00.0000'))).toEqual(OPERATION);
    expect(eventsOf(sys, 'kvm_handle_sie_intercept', from)).toEqual([]);
  });

  it('QEMU refuses -cpu host,ap=on on a host without AP instructions (KVM has no APIE attribute)', () => {
    const sys = newHost();
    sys.host.removeApInstructions();
    const r = sys.qemu.start('g1', { cpuModel: 'host,ap=on' });
    expect(r.ok ? '' : r.message).toContain('not available in the configuration: ap');
    must(sys.qemu.start('g2'));
    expect(sys.inspect.apInterpreted('g2')).toBe(false);
  });
});

// Reference §2.13: the guest view inside and outside the masks.
describe('guest view of the masks', () => {
  it('TAPQ inside APM x AQM reaches the real queue; outside it answers RC 0x01 with cc 3', () => {
    const sys = running();
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('03.0005'))).toEqual(OK);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0006'))).toEqual(NOT_AVAIL); // domain not assigned
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('01.0004'))).toEqual(NOT_AVAIL); // adapter not assigned
    expect(sys.guest.execute('g1', 'NQAP', q('01.0004'))).toEqual(NOT_AVAIL);
  });

  it('inside the masks the real queue status shows through (RC 0x03 deconfigured, cc 3)', () => {
    const sys = running();
    sys.host.setQueueResponseCode(q('02.0004'), 0x03);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0x03 });
  });

  it('NQAP then DQAP fetches a reply; a second DQAP finds none (RC 0x10); ZAPQ discards a pending reply', () => {
    const sys = running();
    expect(sys.guest.execute('g1', 'NQAP', q('02.0004'))).toEqual(OK);
    expect(sys.guest.execute('g1', 'DQAP', q('02.0004'))).toEqual(OK);
    expect(sys.guest.execute('g1', 'DQAP', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0x10 });
    expect(sys.guest.execute('g1', 'NQAP', q('02.0004'))).toEqual(OK);
    expect(sys.guest.execute('g1', 'PQAP(ZAPQ)', q('02.0004'))).toEqual(OK);
    expect(sys.guest.execute('g1', 'DQAP', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0x10 });
  });

  it('with a format 0/1 CRYCB an APID above 63 or an APQI above 15 is a specification exception', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.setApxa(false) });
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    expect(sys.inspect.crycb('g1')?.format).toBe(1);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('40.0004'))).toEqual(SPECIFICATION);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0010'))).toEqual(SPECIFICATION);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('3f.000f'))).toEqual(NOT_AVAIL);
  });

  it('with a format 2 CRYCB the same APQNs are simply not available (RC 0x01)', () => {
    const sys = running();
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('40.0004'))).toEqual(NOT_AVAIL);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0010'))).toEqual(NOT_AVAIL);
  });

  it('control domains are not usage domains: a domain only in ADM answers RC 0x01', () => {
    const sys = hostWithMdev({ adapters: [2], domains: [4], controlDomains: [5] });
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    expect(sys.inspect.crycb('g1')).toMatchObject({ aqm: [4], adm: [5] });
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0005'))).toEqual(NOT_AVAIL);
  });

  it('a Linux guest with QCI and APFT finds exactly the APQNs of its masks', () => {
    const sys = running();
    expect(sys.guest.scan('g1')).toEqual([q('02.0004'), q('02.0005'), q('03.0004'), q('03.0005')]);
  });

  it('APIE on but no mdev opened: masks are zero, every APQN gives RC 0x01 and the scan finds nothing', () => {
    const sys = newHost();
    must(sys.qemu.start('g1'));
    expect(sys.inspect.apInterpreted('g1')).toBe(true);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('00.0000'))).toEqual(NOT_AVAIL);
    expect(sys.guest.scan('g1')).toEqual([]);
  });

  it('PQAP(QCI) completes with facility 12 and is a specification exception without it', () => {
    const sys = running();
    expect(sys.guest.execute('g1', 'PQAP(QCI)', q('00.0000'))).toEqual(OK);
    const bare = hostWithMdev();
    must(bare.vmm.create('g1'));
    must(bare.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    expect(bare.guest.execute('g1', 'PQAP(QCI)', q('00.0000'))).toEqual(SPECIFICATION);
  });

  it('a minimal-VMM guest (no CPU model: no QCI, no APFT) finds no devices, yet TAPQ on its queue works', () => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.inspect.guestHasFacility('g1', 12)).toBe(false);
    expect(sys.inspect.guestHasFacility('g1', 15)).toBe(false);
    expect(sys.inspect.guestHasFacility('g1', 76)).toBe(true);
    expect(sys.guest.scan('g1')).toEqual([]);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual(OK);
  });

  it('without QCI (apqci=off) the guest probes APQIs 0-15 only: an assigned domain 20 stays invisible', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.configure([2], [4, 20]), reserveAdapters: [2], adapters: [2], domains: [4, 20] });
    must(sys.qemu.start('g1', { cpuModel: 'host,apqci=off', mdev: 'm1' }));
    expect(sys.guest.scan('g1')).toEqual([q('02.0004')]);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0014'))).toEqual(OK);
  });

  it('without APFT (apft=off) the guest AP bus creates no devices', () => {
    const sys = running('host,apft=off');
    expect(sys.guest.scan('g1')).toEqual([]);
  });
});
