import { describe, expect, it } from 'vitest';
import { errnoOf, eventsOf, hostWithMdev, must, newHost, policyWith, q } from '../__test__/fixtures';

// vfio_ap_init / vfio_ap_exit (reference §2.1, §5.10).
describe('vfio_ap module init and exit', () => {
  it('vfio_ap_init runs the check, matrix_dev_create, ap_driver_register, mdev_register, in that order', () => {
    const sys = newHost();
    sys.apBus.driverOf(q('00.0000')); // boot the host (AP bus, zcrypt) first
    const from = sys.events.length;
    must(sys.vfioAp.load());
    expect(sys.vfioAp.loaded).toBe(true);
    const fns = sys.events
      .slice(from)
      .filter((e) => e.layer === 'vfio-ap' || e.fn === 'ap_driver_register')
      .map((e) => e.fn);
    expect(fns).toEqual(['vfio_ap_init', 'vfio_ap_matrix_dev_create', 'ap_driver_register', 'vfio_ap_mdev_register', 'vfio_ap_init']);
    expect(sys.events.find((e) => e.type === 'decision')).toMatchObject({ point: 'vfio_ap.init', option: 'ap-instructions', branch: 'accept' });
  });

  it('vfio_ap_init returns -ENODEV without AP instructions under v11 and creates nothing', () => {
    const sys = newHost(policyWith('v11-like', { 'vfio_ap.init': 'ap-instructions' }));
    sys.host.removeApInstructions();
    const r = sys.vfioAp.load();
    expect(errnoOf(r)).toBe('ENODEV');
    expect(r.ok ? '' : r.fn).toBe('vfio_ap_init');
    expect(sys.vfioAp.loaded).toBe(false);
    expect(eventsOf(sys, 'vfio_ap_matrix_dev_create')).toEqual([]);
    expect(eventsOf(sys, 'driver_register')).toEqual([]);
  });

  it('under init policy none, vfio_ap_init fails later with -EINVAL from driver_register: the AP bus never initialised', () => {
    const sys = newHost(policyWith('no-init-check', { 'vfio_ap.init': 'none' }));
    sys.host.removeApInstructions();
    const r = sys.vfioAp.load();
    expect(errnoOf(r)).toBe('EINVAL');
    expect(r.ok ? '' : r.fn).toBe('driver_register');
    expect(sys.vfioAp.loaded).toBe(false);
    // created, then unwound in reverse
    const fns = sys.events.filter((e) => e.layer === 'vfio-ap').map((e) => e.fn);
    expect(fns).toEqual(['vfio_ap_init', 'vfio_ap_matrix_dev_create', 'vfio_ap_matrix_dev_destroy', 'vfio_ap_init']);
    expect(eventsOf(sys, 'vfio_ap_mdev_register')).toEqual([]);
    expect(errnoOf(sys.vfioAp.createMdev('m1'))).toBe('ENOENT');
  });

  it('refuses a second load with -EEXIST', () => {
    const sys = newHost();
    must(sys.vfioAp.load());
    expect(errnoOf(sys.vfioAp.load())).toBe('EEXIST');
  });

  it('takes the QCI snapshot at module init: limits of later mdevs ignore a later APXA change', () => {
    const sys = newHost();
    must(sys.vfioAp.load());
    sys.host.setApxa(false);
    must(sys.vfioAp.createMdev('m1'));
    // apm_max is still Na = 255: adapter 64 passes the range check and fails the reservation
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '64'))).toBe('EADDRNOTAVAIL');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '256'))).toBe('ENODEV');
  });

  it('without QCI (facility 12) matrix_dev->info is all zero and the limits are 63 and 15', () => {
    const sys = newHost();
    sys.host.setFacility(12, false);
    must(sys.vfioAp.load());
    must(sys.vfioAp.createMdev('m1'));
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_adapter', '64'))).toBe('ENODEV');
    expect(errnoOf(sys.vfioAp.store('m1', 'assign_domain', '16'))).toBe('ENODEV');
    expect(eventsOf(sys, 'vfio_ap_matrix_dev_create')[0]!.detail).toBe('no QCI: info all zero');
  });

  it('rmmod is refused while an mdev is open (module refcount) and succeeds after release', () => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const r = sys.vfioAp.unload();
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.fn).toBe('rmmod');
    expect(r.ok ? '' : r.message).toContain('in use');
    expect(sys.vfioAp.loaded).toBe(true);
    expect(sys.vfioAp.hasMdev('m1')).toBe(true);
    must(sys.vmm.closeMdev('m1'));
    expect(errnoOf(sys.vfioAp.unload())).toBe('ok');
    expect(sys.vfioAp.loaded).toBe(false);
  });

  it('vfio_ap_exit removes every mdev, unregisters the AP driver (queues unbound) and destroys the matrix device', () => {
    const sys = hostWithMdev();
    must(sys.vfioAp.createMdev('m2'));
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('vfio_ap');
    must(sys.vfioAp.unload());
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
    expect(sys.vfioAp.hasMdev('m2')).toBe(false);
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('none');
    expect(eventsOf(sys, 'ap_driver_unregister')).toHaveLength(1);
    expect(errnoOf(sys.vfioAp.unload())).toBe('ENOENT');
    // reload: the queues bind again and mdevs start from scratch
    must(sys.vfioAp.load());
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('vfio_ap');
    expect(sys.vfioAp.hasMdev('m1')).toBe(false);
  });
});
