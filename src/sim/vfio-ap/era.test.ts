/**
 * Every option of vfio_ap's and the AP bus's era decision points (src/sim/vfio-ap-decision-points.ts),
 * each test named after the kernel function and the behaviour of that release.
 */
import { describe, expect, it } from 'vitest';
import { errnoOf, eventsOf, hostWithMdev, mdevOf, must, policyWith, q, vmOf } from '../__test__/fixtures';
import type { Policy } from '../decisions';
import type { PqapRequest } from '../kvm/hooks';
import type { System } from '../system';
import { ECA_AIV } from './pqap';

const E1: Policy['choices'] = {};
const E2: Policy['choices'] = { 'vfio_ap.pqap_hook': 'handle_pqap', 'vfio_ap.mdev_remove': 'ebusy-reset', 'vfio_ap.queue_remove': 'zapq' };
const E2_513: Policy['choices'] = { ...E2, 'vfio_ap.null_kvm': 'unset-kvm', 'vfio_ap.mdev_remove': 'unset-and-free' };
const E4: Policy['choices'] = {
  ...E2_513,
  'vfio_ap.open_device': 'vdev-kvm',
  'vfio_ap.set_kvm': 'hook-before-owner-check',
  'vfio_ap.mdev_remove': 'wait-for-close',
};
const E5: Policy['choices'] = { ...E4, 'vfio_ap.matrix': 'dynamic', 'ap_bus.in_use': 'vfio-ap-in-use', 'vfio_ap.queue_remove': 'unplug-adapter-then-zapq' };
const E6: Policy['choices'] = { ...E5, 'vfio_ap.set_kvm': 'owner-via-pqap-hook', 'vfio_ap.mdev_create_limit': 'eusers' };

function host(choices: Policy['choices'], o: Parameters<typeof hostWithMdev>[0] = {}): System {
  return hostWithMdev({ ...o, policy: policyWith('era', choices) });
}

/** m1 (02.0004) and m2 (03.0005), a minimal VMM g1 that opened m1. */
function twoMdevs(choices: Policy['choices']): System {
  const sys = host(choices);
  must(sys.vfioAp.createMdev('m2'));
  must(sys.vfioAp.store('m2', 'assign_adapter', '3'));
  must(sys.vfioAp.store('m2', 'assign_domain', '5'));
  must(sys.vmm.create('g1'));
  must(sys.vmm.openMdev('m1', 'g1'));
  return sys;
}

function aqic(sys: System, apqn: number, over: Partial<PqapRequest> = {}): ReturnType<NonNullable<ReturnType<typeof vmOf>['crypto']['pqapHook']>['handlePqap']> | undefined {
  const vm = vmOf(sys, 'g1');
  const vcpu = vm.vcpus[0]!;
  vcpu.sie.eca |= ECA_AIV;
  return vm.crypto.pqapHook?.handlePqap({ vm, vcpu, apqn, ir: true, isc: 3, nib: 0x1000, nibValid: true, ...over });
}

describe('vfio_ap.open_device', () => {
  it('group-notifier: vfio_ap_mdev_open without a KVM returns 0 and the mdev stays unbound', () => {
    const sys = host(E1);
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.openMdevWithoutKvm('m1'))).toBe('ok');
    expect(mdevOf(sys, 'm1').kvm).toBeNull();
  });

  it('vdev-kvm: vfio_ap_mdev_open_device with vdev->kvm NULL returns -EINVAL and opens nothing', () => {
    const sys = host(E4);
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.openMdevWithoutKvm('m1'))).toBe('EINVAL');
    expect(sys.vfio.refcount).toBe(0);
    expect(errnoOf(sys.vmm.closeMdev('m1'))).toBe('EBADF');
  });

  it('vdev-kvm: the -EPERM of vfio_ap_mdev_set_kvm for a second mdev is returned by open', () => {
    const sys = twoMdevs(E4);
    expect(errnoOf(sys.vmm.openMdev('m2', 'g1'))).toBe('EPERM');
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
  });
});

describe('vfio_ap.set_kvm', () => {
  it('owner-check-first: vfio_ap_mdev_set_kvm refuses the second mdev before storing its pqap_hook', () => {
    const sys = twoMdevs(E2);
    expect(errnoOf(sys.vmm.openMdev('m2', 'g1'))).toBe('ok'); // swallowed by the notifier
    expect(vmOf(sys, 'g1').crypto.pqapHook?.pqapOwner).toBe('m1');
  });

  it('hook-before-owner-check: the refused second mdev leaves its own hook in kvm->arch.crypto.pqap_hook (5.19 quirk)', () => {
    const sys = twoMdevs(E4);
    expect(errnoOf(sys.vmm.openMdev('m2', 'g1'))).toBe('EPERM');
    expect(vmOf(sys, 'g1').crypto.pqapHook?.pqapOwner).toBe('m2');
    // handle_pqap now runs m2's hook, whose kvm is NULL: the owner's own queue answers RC 0x01.
    expect(aqic(sys, q('02.0004'))).toEqual({ ok: true, rc: 0x01, irqEnabled: false });
  });

  it('owner-via-pqap-hook: vfio_ap_mdev_set_kvm refuses while the hook is set, before anything changes', () => {
    const sys = twoMdevs(E6);
    expect(errnoOf(sys.vmm.openMdev('m2', 'g1'))).toBe('EPERM');
    expect(vmOf(sys, 'g1').crypto.pqapHook?.pqapOwner).toBe('m1');
    expect(aqic(sys, q('02.0004'))).toEqual({ ok: true, rc: 0x00, irqEnabled: true });
  });
});

describe('vfio_ap.pqap_hook', () => {
  it('none: 4.20 stores no hook in kvm->arch.crypto.pqap_hook', () => {
    const sys = twoMdevs(E1);
    expect(vmOf(sys, 'g1').crypto.pqapHook).toBeNull();
  });

  it('handle_pqap: a vcpu without ECA_AIV gets -EOPNOTSUPP', () => {
    const sys = twoMdevs(E2);
    const vm = vmOf(sys, 'g1');
    const vcpu = vm.vcpus[0]!;
    vcpu.sie.eca &= ~ECA_AIV;
    expect(vm.crypto.pqapHook!.handlePqap({ vm, vcpu, apqn: q('02.0004'), ir: true, isc: 3, nib: 0x1000, nibValid: true })).toEqual({ ok: false, errno: 'EOPNOTSUPP' });
  });

  it('handle_pqap: an APQN outside the mdev gets RC 0x01; an invalid NIB RC 0x06; a failed GISC registration RC 0x08', () => {
    const sys = twoMdevs(E2);
    expect(aqic(sys, q('03.0005'))).toMatchObject({ rc: 0x01 });
    expect(aqic(sys, q('02.0004'), { nibValid: false })).toMatchObject({ rc: 0x06 });
    expect(aqic(sys, q('02.0004'), { isc: 8 })).toMatchObject({ rc: 0x08 });
  });

  it('handle_pqap: enable returns the real AQIC status, disable clears the interruption state', () => {
    const sys = twoMdevs(E2);
    expect(aqic(sys, q('02.0004'))).toEqual({ ok: true, rc: 0x00, irqEnabled: true });
    expect(mdevOf(sys, 'm1').irqEnabled?.has(q('02.0004'))).toBe(true);
    expect(aqic(sys, q('02.0004'), { ir: false })).toEqual({ ok: true, rc: 0x00, irqEnabled: false });
    expect(mdevOf(sys, 'm1').irqEnabled?.has(q('02.0004'))).toBe(false);
    sys.host.setQueueResponseCode(q('02.0004'), 0x05);
    expect(aqic(sys, q('02.0004'))).toMatchObject({ rc: 0x05, irqEnabled: false });
  });
});

describe('vfio_ap.null_kvm', () => {
  it('masks-stay: vfio_ap_mdev_group_notifier with NULL leaves the CRYCB masks', () => {
    const sys = twoMdevs(E1);
    must(sys.vmm.removeVfioGroup('m1', 'g1'));
    expect(mdevOf(sys, 'm1').kvm).toBeNull();
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
  });

  it('unset-kvm: vfio_ap_mdev_unset_kvm clears the masks and the pqap_hook', () => {
    const sys = twoMdevs(E2_513);
    must(sys.vmm.removeVfioGroup('m1', 'g1'));
    expect(mdevOf(sys, 'm1').kvm).toBeNull();
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [], aqm: [] });
    expect(vmOf(sys, 'g1').crypto.pqapHook).toBeNull();
  });

  it('vdev-kvm: KVM_DEV_VFIO_GROUP_DEL does not reach vfio_ap; the open device keeps its KVM until close', () => {
    const sys = twoMdevs(E4);
    must(sys.vmm.removeVfioGroup('m1', 'g1'));
    expect(mdevOf(sys, 'm1').kvm?.name).toBe('g1');
    must(sys.vmm.closeMdev('m1'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [], aqm: [] });
  });
});

describe('vfio_ap.mdev_remove', () => {
  it('ebusy: vfio_ap_mdev_remove refuses with -EBUSY while kvm is set and resets no queue', () => {
    const sys = twoMdevs(E1);
    expect(errnoOf(sys.vfioAp.removeMdev('m1'))).toBe('EBUSY');
    must(sys.vmm.closeMdev('m1'));
    const from = sys.events.length;
    must(sys.vfioAp.removeMdev('m1'));
    expect(eventsOf(sys, 'ap_zapq', from)).toEqual([]);
  });

  it('ebusy: an mdev whose kvm is NULL while its fd is open is unlinked and freed; the close ends the wait', () => {
    const sys = host(E1);
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdevWithoutKvm('m1'));
    must(sys.vfioAp.removeMdev('m1'));
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
    must(sys.vmm.closeMdev('m1'));
    expect(sys.vfio.core.groups.has('m1')).toBe(false);
    expect(sys.vfio.refcount).toBe(0);
  });

  it('ebusy-reset: vfio_ap_mdev_remove resets the queues (ZAPQ) before freeing', () => {
    const sys = twoMdevs(E2);
    expect(errnoOf(sys.vfioAp.removeMdev('m2'))).toBe('ok');
    expect(eventsOf(sys, 'ap_zapq').map((e) => e.detail)).toContain('03.0005');
  });

  it('unset-and-free: vfio_ap_mdev_remove of an mdev in use clears the masks and frees it', () => {
    const sys = twoMdevs(E2_513);
    expect(errnoOf(sys.vfioAp.removeMdev('m1'))).toBe('ok');
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [], aqm: [] });
  });

  it('wait-for-close: vfio_unregister_group_dev waits for the close, then the removal completes', () => {
    const sys = twoMdevs(E4);
    const r = sys.vfioAp.removeMdev('m1');
    expect(errnoOf(r)).toBe('no errno');
    expect(r.ok ? '' : r.fn).toBe('vfio_unregister_group_dev');
    expect(sys.vfioAp.hasMdev('m1')).toBe(true);
    must(sys.vmm.closeMdev('m1'));
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [], aqm: [] });
  });
});

describe('vfio_ap.queue_remove', () => {
  function guestThenTakeBack(choices: Policy['choices']): System {
    const sys = host(choices, { adapters: [2, 3], domains: [4] });
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    return sys;
  }

  it('nothing: vfio_ap_queue_dev_remove (4.20) neither resets the queue nor touches the CRYCB', () => {
    const sys = guestThenTakeBack(E1);
    const from = sys.events.length;
    must(sys.apBus.storeMask('apmask', '+2'));
    expect(eventsOf(sys, 'ap_zapq', from)).toEqual([]);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 3] });
  });

  it('zapq: vfio_ap_queue_dev_remove resets the queue; the CRYCB keeps the APQN', () => {
    const sys = guestThenTakeBack(E2);
    const from = sys.events.length;
    must(sys.apBus.storeMask('apmask', '+2'));
    // Every queue of adapter 2 leaves vfio_ap and is reset, 02.0004 among them.
    const reset = eventsOf(sys, 'ap_zapq', from).map((e) => e.detail);
    expect(reset).toHaveLength(16);
    expect(reset).toContain('02.0004');
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 3] });
  });

  it('unplug-adapter-then-zapq: vfio_ap_mdev_remove_queue unplugs the adapter from the guest, then resets', () => {
    // A queue leaving vfio_ap while assigned: reachable with an AP bus that does not ask in_use.
    const sys = guestThenTakeBack({ ...E5, 'ap_bus.in_use': 'none' });
    const from = sys.events.length;
    must(sys.apBus.storeMask('apmask', '+2'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [3], aqm: [4] });
    const events = sys.events.slice(from);
    const pushed = events.findIndex((e) => e.fn === 'kvm_arch_crypto_set_masks');
    const reset = events.findIndex((e) => e.fn === 'ap_zapq' && e.detail === '02.0004');
    expect(pushed).toBeGreaterThanOrEqual(0);
    expect(pushed).toBeLessThan(reset);
  });
});

describe('vfio_ap.matrix: host configuration changes (dynamic)', () => {
  it('vfio_ap_mdev_hot_unplug_cfg: an adapter that leaves the host configuration leaves the guest', () => {
    const sys = host(E5, { adapters: [2, 3], domains: [4] });
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    sys.host.configure([0, 1, 3], [...Array(16).keys()]);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [3], aqm: [4] });
    expect(must(sys.vfioAp.guestMatrix('m1'))).toBe('03.0004\n');
  });

  it('vfio_ap_mdev_hot_unplug_cfg: a domain that leaves the configuration takes only itself out, not its adapters', () => {
    const sys = host(E5, { adapters: [2, 3], domains: [4, 5] });
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    sys.host.configure([0, 1, 2, 3], [0, 1, 2, 3, 4]);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 3], aqm: [4] });
  });

  it('vfio_ap_mdev_probe_queue: an adapter that joins the configuration is plugged into the guest', () => {
    const sys = host(E5, { adapters: [2], domains: [4], reserveAdapters: [2, 5] });
    must(sys.vfioAp.store('m1', 'assign_adapter', '5'));
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
    sys.host.configure([0, 1, 2, 3, 5], [...Array(16).keys()]);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 5], aqm: [4] });
  });
});

describe('vfio_ap.matrix', () => {
  it('static: assign_adapter_store refuses with -EBUSY while a guest runs', () => {
    const sys = twoMdevs(E1);
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '3'))).toBe('EBUSY');
    expect(errnoOf(sys.vfioAp.guestMatrix('m1'))).toBe('ENOENT');
  });

  it('dynamic: assign_adapter_store hot-plugs into the running guest; the same id again is a no-op', () => {
    const sys = host(E5, { domains: [4] });
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    must(sys.vfioAp.store('m1', 'assign_adapter', '3'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2, 3], aqm: [4] });
    const from = sys.events.length;
    must(sys.vfioAp.store('m1', 'assign_adapter', '3'));
    expect(eventsOf(sys, 'vfio_ap_mdev_validate_masks', from)).toEqual([]);
    must(sys.vfioAp.store('m1', 'unassign_adapter', '2'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [3], aqm: [4] });
    expect(errnoOf(sys.vfioAp.store('m1', 'unassign_adapter', '2'))).toBe('ok');
  });

  it('dynamic: vfio_ap_mdev_validate_masks checks apmask/aqmask, and vfio_ap_mdev_filter_matrix drops adapters without bound queues', () => {
    const sys = host(E5, { reserveAdapters: [2, 7] });
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '1'))).toBe('EADDRNOTAVAIL');
    must(sys.vfioAp.store('m1', 'assign_adapter', '7')); // not in the host configuration
    expect(sys.vfioAp.show('m1', 'matrix')).toBe('02.0004\n07.0004\n');
    expect(must(sys.vfioAp.guestMatrix('m1'))).toBe('02.0004\n');
  });

  it('dynamic: control domains are filtered by the host QCI adm and pushed to the guest', () => {
    const sys = host(E5);
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    sys.host.setControlDomains([4, 6]);
    must(sys.vfioAp.store('m1', 'assign_control_domain', '6'));
    must(sys.vfioAp.store('m1', 'assign_control_domain', '9'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ adm: [6] });
    must(sys.vfioAp.store('m1', 'unassign_control_domain', '6'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ adm: [] });
  });
});

describe('ap_bus.in_use', () => {
  it('none: apmask_store accepts giving an assigned adapter back to the default drivers', () => {
    const sys = host(E4);
    expect(errnoOf(sys.apBus.storeMask('apmask', '+2'))).toBe('ok');
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('cex4queue');
  });

  it('vfio-ap-in-use: apmask_commit refuses with -EBUSY when vfio_ap_mdev_resource_in_use finds an assigned APQN, mask unchanged', () => {
    const sys = host(E5);
    const before = sys.apBus.showMask('apmask');
    const r = sys.apBus.storeMask('apmask', '+2');
    expect(errnoOf(r)).toBe('EBUSY');
    expect(r.ok ? '' : r.message).toContain('02.0004');
    expect(sys.apBus.showMask('apmask')).toBe(before);
    expect(errnoOf(sys.apBus.storeMask('apmask', '+3'))).toBe('ok');
  });
});

describe('vfio_ap.mdev_create_limit', () => {
  it('eperm: vfio_ap_mdev_create returns -EPERM with no instance left', () => {
    const sys = host(E1);
    sys.vfio.matrixDev!.availableInstances = 0;
    expect(errnoOf(sys.vfioAp.createMdev('m2'))).toBe('EPERM');
  });

  it('eusers: the mdev core returns -EUSERS with no instance left', () => {
    const sys = host(E6);
    sys.vfio.matrixDev!.availableInstances = 0;
    const r = sys.vfioAp.createMdev('m2');
    expect(errnoOf(r)).toBe('EUSERS');
    expect(r.ok ? '' : r.fn).toBe('mdev_device_create');
  });
});

describe('vfio_ap_mdev_ioctl', () => {
  it('an unknown command returns -EOPNOTSUPP on an open device, -EBADF without one', () => {
    const sys = host(E1);
    expect(errnoOf(sys.vmm.unknownIoctl('m1'))).toBe('EBADF');
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(errnoOf(sys.vmm.unknownIoctl('m1'))).toBe('EOPNOTSUPP');
  });
});
