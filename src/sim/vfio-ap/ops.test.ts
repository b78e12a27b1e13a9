import { describe, expect, it } from 'vitest';
import { errnoOf, eventsOf, hostWithMdev, mdevOf, must, newHost, policyWith, q, vmOf } from '../__test__/fixtures';
import type { System } from '../system';

/** Queues 02.0004, 02.0005, 03.0004, 03.0005 in m1. */
function twoByTwo(): System {
  return hostWithMdev({ adapters: [2, 3], domains: [4, 5] });
}

// Reference §2.3 (mdev create/remove).
describe('mdev create and remove', () => {
  it('creates an mdev with an empty matrix and refuses a duplicate UUID with -EEXIST', () => {
    const sys = newHost();
    must(sys.vfioAp.load());
    expect(errnoOf(sys.vfioAp.createMdev('m1'))).toBe('ok');
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('');
    const r = sys.vfioAp.createMdev('m1');
    expect(errnoOf(r)).toBe('EEXIST');
    expect(r.ok ? '' : r.fn).toBe('mdev_device_create');
  });

  it('refuses to create an mdev while vfio_ap is not loaded (no mdev type)', () => {
    const sys = newHost();
    expect(errnoOf(sys.vfioAp.createMdev('m1'))).toBe('ENOENT');
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
  });

  it('vfio_ap_mdev_create returns -EPERM when available_instances is exhausted, and remove gives one back', () => {
    const sys = hostWithMdev();
    sys.vfio.matrixDev!.availableInstances = 0;
    const r = sys.vfioAp.createMdev('m2');
    expect(errnoOf(r)).toBe('EPERM');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_mdev_create');
    must(sys.vfioAp.removeMdev('m1'));
    expect(sys.vfio.matrixDev!.availableInstances).toBe(1);
    expect(errnoOf(sys.vfioAp.createMdev('m2'))).toBe('ok');
  });

  it('starts with available_instances = MAX_ZDEV_ENTRIES_EXT (65536)', () => {
    const sys = hostWithMdev();
    expect(sys.vfio.matrixDev!.availableInstances).toBe(65535);
  });

  it('vfio_ap_mdev_remove returns -EBUSY while matrix_mdev->kvm is set, and frees the mdev once it is released', () => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const r = sys.vfioAp.removeMdev('m1');
    expect(errnoOf(r)).toBe('EBUSY');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_mdev_remove');
    expect(sys.vfioAp.hasMdev('m1')).toBe(true);
    must(sys.vmm.closeMdev('m1'));
    const from = sys.events.length;
    expect(errnoOf(sys.vfioAp.removeMdev('m1'))).toBe('ok');
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
    expect(eventsOf(sys, 'ap_zapq', from)).toEqual([]); // no queue reset on remove in 4.20
  });

  it('removing an mdev frees its APQNs for another mdev', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    must(sys.vfioAp.store('m2', 'assign_domain', '4'));
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_adapter', '2'))).toBe('EADDRINUSE');
    must(sys.vfioAp.removeMdev('m1'));
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_adapter', '2'))).toBe('ok');
  });
});

// Reference §2.6 (E1 open: group notifier), §2.10 widths through kvm_arch_crypto_set_masks.
describe('open: SET_KVM notifier', () => {
  it('writes the full mdev matrix (usage and control domains as assigned) into the CRYCB', () => {
    const sys = hostWithMdev({ adapters: [2, 3], domains: [4, 5], controlDomains: [7] });
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.openMdev('m1', 'g1'))).toBe('ok');
    expect(sys.inspect.crycb('g1')).toEqual({ format: 2, apm: [2, 3], aqm: [4, 5], adm: [7] });
    expect(mdevOf(sys, 'm1').kvm?.name).toBe('g1');
    expect(eventsOf(sys, 'kvm_arch_crypto_set_masks')[0]).toMatchObject({ type: 'vm-event', vm: 'g1' });
  });

  it('writes the matrix unfiltered: an adapter that left the host configuration is still in the masks', () => {
    const sys = twoByTwo();
    sys.host.configure([0, 1, 2], [...Array(16).keys()]);
    expect(sys.apBus.driverOf(q('03.0004'))).toBeUndefined();
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 3], aqm: [4, 5] });
  });

  it('a second mdev for the same KVM: set_kvm -EPERM is swallowed, open returns 0, no masks, kvm not set', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    must(sys.vfioAp.store('m2', 'assign_adapter', '3'));
    must(sys.vfioAp.store('m2', 'assign_domain', '5'));
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const from = sys.events.length;
    expect(errnoOf(sys.vmm.openMdev('m2', 'g1'))).toBe('ok');
    expect(eventsOf(sys, 'vfio_ap_mdev_set_kvm', from)[0]!.outcome).toBe('-EPERM');
    expect(eventsOf(sys, 'kvm_arch_crypto_set_masks', from)).toEqual([]);
    expect(sys.events.slice(from).filter((e) => e.type === 'decision' && e.branch !== 'taken')).toEqual([]);
    expect(mdevOf(sys, 'm2').kvm).toBeNull();
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
    // m2's matrix can still change (its kvm is not set), but its device fd is open
    expect(errnoOf(sys.vfioAp.store('m2', 'assign_domain', '6'))).toBe('ok');
    // vfio_ap_mdev_remove (4.20) on an mdev whose kvm is NULL while its fd is open: unlinked and
    // freed (reference §2.3 E1); the mdev core's vfio_del_group_dev then waits for the close.
    const before = sys.events.length;
    expect(errnoOf(sys.vfioAp.removeMdev('m2'))).toBe('ok');
    expect(sys.vfioAp.hasMdev('m2')).toBe(false);
    expect(eventsOf(sys, 'vfio_del_group_dev', before)[0]!.outcome).toContain('waits for the close');
  });

  it('v11 crycbd check: on a KVM without a CRYCB the open returns 0, writes no masks, and matrix_mdev->kvm stays set', () => {
    const sys = hostWithMdev({
      setup: (s) => {
        s.host.setKvmCrycbOnlyWithMsax3();
        s.host.setFacility(76, false);
      },
    });
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.openMdev('m1', 'g1'))).toBe('ok');
    expect(sys.events.find((e) => e.type === 'decision' && e.point === 'vfio_ap.open.validate')).toMatchObject({
      option: 'crycbd',
      branch: 'reject',
      outcome: '-EOPNOTSUPP',
    });
    expect(sys.inspect.crycb('g1')).toBeUndefined();
    expect(sys.oops).toBeUndefined();
    expect(mdevOf(sys, 'm1').kvm?.name).toBe('g1');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '3'))).toBe('EBUSY');
  });

  it('the crycbd check always passes on a 4.20 KVM, even for a guest without MSAX3 (format-0 CRYCB)', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.setFacility(76, false) });
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.decisionsTaken.get('vfio_ap.open.validate=crycbd:accept')).toBe(1);
    expect(sys.inspect.crycb('g1')).toEqual({ format: 0, apm: [2], aqm: [4], adm: [] });
  });

  it('a second open of the same mdev is refused by vfio_group_fops_open with -EBUSY', () => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.create('g2'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const r = sys.vmm.openMdev('m1', 'g2');
    expect(errnoOf(r)).toBe('EBUSY');
    expect(r.ok ? '' : r.fn).toBe('vfio_group_fops_open');
    // g2's VMM never got the group fd, so it never reached KVM_DEV_VFIO_GROUP_ADD
    expect(mdevOf(sys, 'm1').kvm?.name).toBe('g1');
    expect(sys.inspect.crycb('g2')).toEqual({ format: 2, apm: [], aqm: [], adm: [] });
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
  });

  it('a custom open check that rejects leaves kvm set and writes no masks (as v10 did)', () => {
    const sys = hostWithMdev({
      policy: policyWith('reject-all', { 'vfio_ap.open.validate': () => ({ ok: false, errno: 'EOPNOTSUPP', why: 'no' }) }),
    });
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.openMdev('m1', 'g1'))).toBe('ok');
    expect(sys.inspect.crycb('g1')).toEqual({ format: 2, apm: [], aqm: [], adm: [] });
    expect(mdevOf(sys, 'm1').kvm?.name).toBe('g1');
    expect(errnoOf(sys.vfioAp.removeMdev('m1'))).toBe('EBUSY');
  });
});

// Reference §2.7 (E1 release), §2.8 (ioctls).
describe('release and VFIO_DEVICE_RESET', () => {
  function opened(): System {
    const sys = twoByTwo();
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    return sys;
  }

  it('release clears the masks, then ZAPQs every APQN of apm x aqm in APID-major order', () => {
    const sys = opened();
    const from = sys.events.length;
    must(sys.vmm.closeMdev('m1'));
    const fns = sys.events.slice(from).map((e) => e.fn);
    expect(fns.indexOf('kvm_arch_crypto_clear_masks')).toBeLessThan(fns.indexOf('ap_zapq'));
    expect(eventsOf(sys, 'ap_zapq', from).map((e) => e.detail)).toEqual(['02.0004', '02.0005', '03.0004', '03.0005']);
    expect(sys.inspect.crycb('g1')).toEqual({ format: 2, apm: [], aqm: [], adm: [] });
    expect(mdevOf(sys, 'm1').kvm).toBeNull();
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '6'))).toBe('ok');
  });

  it('kvm_arch_crypto_clear_masks zeroes both APCB0 and APCB1', () => {
    const sys = opened();
    const crycb = vmOf(sys, 'g1').crypto.crycb!;
    crycb.apcb0.apm.set(1);
    crycb.apcb0.aqm.set(1);
    crycb.apcb0.adm.set(1);
    expect(crycb.apcb1.apm.isEmpty()).toBe(false);
    must(sys.vmm.closeMdev('m1'));
    for (const apcb of [crycb.apcb0, crycb.apcb1])
      for (const mask of [apcb.apm, apcb.aqm, apcb.adm]) expect(mask.isEmpty()).toBe(true);
    expect(eventsOf(sys, 'kvm_arch_crypto_clear_masks')[0]).toMatchObject({ type: 'vm-event', detail: 'CLR CRYCB' });
  });

  it('release resets the queues even when matrix_mdev->kvm was never set (EPERM second mdev)', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    must(sys.vfioAp.store('m2', 'assign_adapter', '3'));
    must(sys.vfioAp.store('m2', 'assign_domain', '5'));
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    must(sys.vmm.openMdev('m2', 'g1'));
    const from = sys.events.length;
    must(sys.vmm.closeMdev('m2'));
    expect(eventsOf(sys, 'kvm_arch_crypto_clear_masks', from)).toEqual([]);
    expect(eventsOf(sys, 'ap_zapq', from).map((e) => e.detail)).toEqual(['03.0005']);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
  });

  it.each([0x02, 0x05])('VFIO_DEVICE_RESET: RC 0x%s retries once after 20 ms, then returns -EBUSY', (rc) => {
    const sys = opened();
    sys.host.setQueueResponseCode(q('02.0005'), rc);
    const clock = sys.k.clockMs;
    const from = sys.events.length;
    const r = sys.vmm.resetMdev('m1');
    expect(errnoOf(r)).toBe('EBUSY');
    expect(eventsOf(sys, 'ap_zapq', from).map((e) => e.detail)).toEqual(['02.0004', '02.0005', '02.0005', '03.0004', '03.0005']);
    expect(sys.k.clockMs - clock).toBe(40);
  });

  it.each([0x01, 0x03, 0x04, 0x06])('VFIO_DEVICE_RESET: RC 0x%s gives -EIO without a retry', (rc) => {
    const sys = opened();
    sys.host.setQueueResponseCode(q('03.0004'), rc);
    const from = sys.events.length;
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('EIO');
    expect(eventsOf(sys, 'ap_zapq', from)).toHaveLength(4);
  });

  it('VFIO_DEVICE_RESET continues over all queues and returns the last error', () => {
    const sys = opened();
    sys.host.setQueueResponseCode(q('02.0004'), 0x03);
    sys.host.setQueueResponseCode(q('03.0005'), 0x05);
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('EBUSY');
    sys.host.setQueueResponseCode(q('02.0004'), 0x05);
    sys.host.setQueueResponseCode(q('03.0005'), 0x03);
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('EIO');
    sys.host.setQueueResponseCode(q('02.0004'), 0);
    sys.host.setQueueResponseCode(q('03.0005'), 0);
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('ok');
  });

  it('a queue that does not exist any more answers ZAPQ with RC 0x01: -EIO', () => {
    const sys = opened();
    sys.host.configure([0, 1, 2], [...Array(16).keys()]);
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('EIO');
  });

  it('release ignores the reset result: close succeeds and the module reference is dropped', () => {
    const sys = opened();
    sys.host.setQueueResponseCode(q('02.0004'), 0x05);
    const from = sys.events.length;
    expect(errnoOf(sys.vmm.closeMdev('m1'))).toBe('ok');
    expect(eventsOf(sys, 'vfio_ap_mdev_reset_queues', from)[0]!.outcome).toBe('-EBUSY');
    expect(errnoOf(sys.vfioAp.unload())).toBe('ok');
  });

  it('QEMU system_reset issues VFIO_DEVICE_RESET and only warns about its error', () => {
    const sys = twoByTwo();
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    sys.host.setQueueResponseCode(q('02.0004'), 0x03);
    const from = sys.events.length;
    expect(errnoOf(sys.qemu.systemReset('g1'))).toBe('ok');
    expect(eventsOf(sys, 'vfio_ap_reset', from)[0]!.outcome).toBe('warning: EIO');
    expect(eventsOf(sys, 'ap_zapq', from)).toHaveLength(4);
  });

  it('VFIO_DEVICE_GET_INFO reports flags AP|RESET, no regions, no irqs; argsz below minsz is -EINVAL', () => {
    const sys = opened();
    expect(sys.vmm.getDeviceInfo('m1')).toEqual({ ok: true, value: 'flags AP|RESET, 0 regions, 0 irqs' });
    expect(errnoOf(sys.vmm.getDeviceInfo('m1', 16))).toBe('ok');
    const r = sys.vmm.getDeviceInfo('m1', 15);
    expect(errnoOf(r)).toBe('EINVAL');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_mdev_get_device_info');
  });

  it('ioctls and close on an mdev nobody holds open give -EBADF', () => {
    const sys = hostWithMdev();
    expect(errnoOf(sys.vmm.resetMdev('m1'))).toBe('EBADF');
    expect(errnoOf(sys.vmm.getDeviceInfo('m1'))).toBe('EBADF');
    expect(errnoOf(sys.vmm.closeMdev('m1'))).toBe('EBADF');
  });
});
