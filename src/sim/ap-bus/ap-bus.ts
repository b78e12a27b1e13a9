/**
 * The host AP bus (drivers/s390/crypto/ap_bus.c, Linux 4.20): queue devices for the configured
 * APQNs, apmask/aqmask (ap_perms, the default-driver pool) and driver binding.
 */
import { Bitmap256 } from '../bitmap';
import { Apqn, apqn, formatApqn } from '../apqn';
import { OK, Outcome, fail } from '../errno';
import {
  AP_DEVICE_TYPE_CEX2A,
  AP_DEVICE_TYPE_CEX4,
  AP_DEVICE_TYPE_CEX6,
  NO_APXA_MAX_APID,
  NO_APXA_MAX_APQI,
} from '../firmware/ap-config';
import type { Kernel } from '../kernel';
import type { ApDriver, ApQueueDevice } from './ap-driver';
import { parseMaskString } from './mask-parse';

/** The AP bus attributes that hold ap_perms: /sys/bus/ap/apmask and aqmask. */
export type MaskKind = 'apmask' | 'aqmask';

export class ApBus {
  /** ap_module_init succeeded (the bus is registered). */
  initialised = false;
  /** ap_perms.apm / ap_perms.aqm: all ones by default (every queue belongs to the default drivers). */
  readonly apm = Bitmap256.full();
  readonly aqm = Bitmap256.full();
  /** Queue devices by APQN. */
  readonly queues = new Map<Apqn, ApQueueDevice>();
  /** Registered drivers in registration order (the driver core tries them in this order). */
  readonly drivers: ApDriver[] = [];

  /** Queues bound since the last summary, per driver: one trace line per driver, not per queue. */
  private readonly bound = new Map<string, Apqn[]>();

  constructor(private readonly k: Kernel) {}

  /** Trace the bindings made by one bus operation as `ap_device_probe` lines, one per driver. */
  private flushBindings(): void {
    if (this.bound.size === 0) return;
    if (this.k.trace.recording)
      for (const [name, qs] of this.bound) this.k.trace.call('ap-bus', 'ap_device_probe', `${name} binds ${describeApqns(qs)}`, '0');
    this.bound.clear();
  }

  /**
   * ap_module_init: without AP instructions the bus is not registered (-ENODEV, "The hardware
   * system does not support AP instructions"). apspec models the AP bus as built into the kernel,
   * so vfio_ap can still be loaded afterwards and then meets an uninitialised bus (reference §5.10).
   */
  init(): void {
    if (!this.k.machine.apInstructionsAvailable()) {
      this.initialised = false;
      this.k.trace.call('ap-bus', 'ap_module_init', 'no AP instructions', '-ENODEV');
      return;
    }
    this.initialised = true;
    this.k.trace.call('ap-bus', 'ap_module_init', 'AP bus registered', '0');
    this.scan();
  }

  /** The highest ids the bus scans: QCI's Na/Nd, or 63/15 without QCI (ap_max_domain_id_show). */
  private limits(): { maxApid: number; maxApqi: number } {
    const m = this.k.machine;
    if (!m.qciAvailable()) return { maxApid: NO_APXA_MAX_APID, maxApqi: NO_APXA_MAX_APQI };
    return { maxApid: m.maxApid, maxApqi: m.maxApqi };
  }

  /**
   * ap_scan_bus: create a queue device for every configured queue that answers TAPQ, remove devices
   * whose queue left the configuration. Without QCI every id is assumed configured and probed with
   * TAPQ (ap_test_config_card_id returns 1).
   */
  scan(): void {
    if (!this.initialised) return;
    const { maxApid, maxApqi } = this.limits();
    const domains = this.k.machine.usageDomains.ids(maxApqi);
    // At boot there is nothing to remove, so nothing to remember.
    const seen = this.queues.size ? new Set<Apqn>() : undefined;
    // notify_config_changed (5.18+): the drivers hear of the new configuration before any device
    // is removed or created (ap_scan_bus).
    if (seen) for (const drv of this.drivers) drv.onConfigChanged?.();
    for (const [apid, rawType] of this.k.machine.adapters) {
      if (apid > maxApid) continue;
      const compType = compatibleType(rawType);
      const card = apqn(apid, 0);
      for (const apqi of domains) {
        const q = card | apqi; // AP_MKQID(card, queue)
        seen?.add(q);
        if (this.queues.has(q)) continue;
        if (compType === 0) {
          if (this.k.trace.recording) this.k.trace.call('ap-bus', 'ap_get_compatible_type', `queue ${formatApqn(q)} type ${rawType}`, 'unsupported, no device');
          continue;
        }
        const dev: ApQueueDevice = { apqn: q, rawType, compType, driver: null };
        this.queues.set(q, dev);
        this.attach(dev);
      }
    }
    this.flushBindings();
    if (seen) for (const [q, dev] of this.queues) {
      if (seen.has(q)) continue;
      this.detach(dev);
      this.queues.delete(q);
      if (this.k.trace.recording) this.k.trace.call('ap-bus', 'ap_scan_bus', `queue ${formatApqn(q)} left the configuration`, 'device removed');
    }
  }

  /** ap_owned_by_def_drv: is this APQN in the default-driver pool (apmask x aqmask)? */
  ownedByDefaultDriver(q: Apqn): boolean {
    // AP_QID_CARD / AP_QID_QUEUE, spelled out: this runs for every queue on every probe and rebind.
    return this.apm.test(q >> 8) && this.aqm.test(q & 0xff);
  }

  /**
   * ap_device_probe: a default driver may bind only queues in apmask x aqmask, a non-default driver
   * only queues outside it (-ENODEV otherwise).
   */
  private probe(drv: ApDriver, dev: ApQueueDevice): boolean {
    if (!drv.ids.has(dev.compType)) return false;
    const owned = this.ownedByDefaultDriver(dev.apqn);
    if (drv.isDefault !== owned) return false;
    // really_probe sets dev->driver before calling the driver's probe (vfio_ap's 6.0 probe filters
    // with this queue counted as bound).
    dev.driver = drv;
    const rc = drv.probe(dev);
    if (rc !== 0) {
      dev.driver = null;
      if (this.k.trace.recording) this.k.trace.call('ap-bus', 'ap_device_probe', `${drv.name} on ${formatApqn(dev.apqn)}`, `-${rc}`);
      return false;
    }
    dev.driver = drv;
    const list = this.bound.get(drv.name);
    if (list) list.push(dev.apqn);
    else this.bound.set(drv.name, [dev.apqn]);
    return true;
  }

  /** device_attach: try the registered drivers in order. */
  private attach(dev: ApQueueDevice): void {
    for (const drv of this.drivers) if (this.probe(drv, dev)) return;
  }

  private detach(dev: ApQueueDevice, traced = true): void {
    if (!dev.driver) return;
    const drv = dev.driver;
    drv.remove(dev);
    dev.driver = null;
    if (traced) this.k.trace.call('ap-bus', 'ap_device_remove', `${drv.name} releases ${formatApqn(dev.apqn)}`, '0');
  }

  /**
   * ap_driver_register -> driver_register: on a bus that was never registered the driver core
   * refuses with -EINVAL ("Driver '%s' was unable to register with bus_type '%s' because the bus was
   * not initialized", drivers/base/driver.c). Otherwise driver_attach binds the unbound devices.
   */
  registerDriver(drv: ApDriver): Outcome {
    if (!this.initialised) {
      return this.k.refuse('ap-bus', 'driver_register', `${drv.name}: bus "ap" was not initialized`, 'EINVAL', `driver ${drv.name} was unable to register with bus_type 'ap' because the bus was not initialized (no AP instructions)`);
    }
    this.drivers.push(drv);
    this.k.trace.call('ap-bus', 'ap_driver_register', drv.name, '0');
    for (const dev of this.queues.values()) if (!dev.driver) this.probe(drv, dev);
    this.flushBindings();
    return OK;
  }

  unregisterDriver(drv: ApDriver): void {
    const i = this.drivers.indexOf(drv);
    if (i < 0) return;
    const released: Apqn[] = [];
    for (const dev of this.queues.values())
      if (dev.driver === drv) {
        this.detach(dev, false);
        released.push(dev.apqn);
      }
    if (released.length) this.k.trace.call('ap-bus', 'ap_device_remove', `${drv.name} releases ${describeApqns(released)}`, '0');
    this.drivers.splice(i, 1);
    this.k.trace.call('ap-bus', 'ap_driver_unregister', drv.name, '0');
  }

  /**
   * apmask_store / aqmask_store (4.20): parse, replace ap_perms, then ap_bus_revise_bindings. 4.20
   * has no in_use callback: the write is accepted even when a queue it gives back to the default
   * drivers is assigned to an mdev in use by a guest (DOC18 "Limitations"; reference §2.2).
   */
  storeMask(kind: MaskKind, text: string): Outcome {
    const fn = `${kind}_store`;
    const target = kind === 'apmask' ? this.apm : this.aqm;
    const parsed = parseMaskString(text, target);
    if (parsed.kind === 'oops') {
      this.k.oops('ap-bus', 'modify_bitmap', `"${text}": ${parsed.why}; set_bit_inv writes outside ap_perms`);
      return fail('modify_bitmap', undefined, `the host kernel crashed parsing "${text}"`);
    }
    if (parsed.kind === 'einval') {
      return this.k.refuse('ap-bus', fn, `"${text}": ${parsed.why}`, 'EINVAL', `"${text}" is not a valid ${kind}: ${parsed.why}`);
    }
    const inUse = this.askInUse(kind, parsed.mask);
    if (!inUse.ok) return inUse;
    target.copyFrom(parsed.mask);
    if (this.k.trace.recording) this.k.trace.call('ap-bus', fn, `"${text}" -> ${target.toHex()}`, '0');
    this.reviseBindings();
    return OK;
  }

  /**
   * apmask_commit / aqmask_commit (decision point `ap_bus.in_use`): from 5.18 (4f8206b88286) the bus
   * computes the ids the write newly gives to the default drivers (new & ~old) and asks each driver
   * with an in_use callback about (newly reserved apm, current aqm) or (current apm, newly reserved
   * aqm); any error is returned as -EBUSY and the mask stays as it was (reference §1.2, §2.2 E5).
   */
  private askInUse(kind: MaskKind, next: Bitmap256): Outcome {
    const current = kind === 'apmask' ? this.apm : this.aqm;
    // next & ~current, a word at a time (no array of every id the mask holds).
    const added = new Bitmap256();
    for (let i = 0; i < 8; i++) added.words[i] = next.words[i]! & ~current.words[i]!;
    if (added.isEmpty()) return OK;
    const fn = kind === 'apmask' ? 'apmask_commit' : 'aqmask_commit';
    if (this.k.shape('ap_bus.in_use', 'ap-bus', fn, this.k.trace.recording ? `${kind}: ids newly reserved for the default drivers` : '') === 'none') return OK;
    for (const drv of this.drivers) {
      if (!drv.inUse) continue;
      const r = kind === 'apmask' ? drv.inUse(added, this.aqm) : drv.inUse(this.apm, added);
      if (!r.ok)
        return this.k.refuse('ap-bus', fn, `${drv.name}: in_use -> -${r.errno ?? 'EBUSY'}`, 'EBUSY', `the ${kind} edit would give the host an APQN in use by ${drv.name}: ${r.message}; unassign it from the mediated device first`);
    }
    return OK;
  }

  /**
   * ap_bus_revise_bindings -> __ap_revise_reserved: reprobe every queue whose driver kind (default or
   * not) no longer fits the pool. [code-read] A queue bound to no driver is reprobed as well (4.20
   * reads the flags of a NULL driver there, which on s390 reads lowcore rather than faulting; apspec
   * takes it as "reprobe").
   */
  private reviseBindings(): void {
    const reprobed: Apqn[] = [];
    for (const dev of this.queues.values()) {
      const inPool = this.ownedByDefaultDriver(dev.apqn);
      if (dev.driver && dev.driver.isDefault === inPool) continue;
      reprobed.push(dev.apqn);
      this.detach(dev, false);
      this.attach(dev);
    }
    if (reprobed.length) this.k.trace.call('ap-bus', '__ap_revise_reserved', `reprobing ${describeApqns(reprobed)}`, `${reprobed.length} queues`);
    this.flushBindings();
  }

  driverOf(q: Apqn): 'cex4queue' | 'vfio_ap' | 'none' | undefined {
    const dev = this.queues.get(q);
    if (!dev) return undefined;
    return (dev.driver?.name as 'cex4queue' | 'vfio_ap' | undefined) ?? 'none';
  }

  /** Whether a queue device with this APQN is bound to the named driver. */
  boundTo(q: Apqn, name: string): boolean {
    return this.queues.get(q)?.driver?.name === name;
  }
}

/**
 * ap_get_compatible_type (4.20): types below CEX2A (6) are not supported, types up to CEX6 stay as
 * they are, newer types (CEX7 = 13, CEX8 = 14) map to CEX6 through QACT, which apspec assumes every
 * modelled machine offers. Which driver binds is then the drivers' id tables' business.
 */
export function compatibleType(rawType: number): number {
  if (rawType < AP_DEVICE_TYPE_CEX2A) return 0;
  return rawType <= AP_DEVICE_TYPE_CEX6 ? rawType : AP_DEVICE_TYPE_CEX6;
}

/** The queue device types CEX4Q, CEX5Q and CEX6Q: the id table of zcrypt's cex4queue and of vfio_ap in 4.20. */
export const CEX4_TO_CEX6: ReadonlySet<number> = new Set([AP_DEVICE_TYPE_CEX4, AP_DEVICE_TYPE_CEX4 + 1, AP_DEVICE_TYPE_CEX6]);

/** zcrypt's cex4queue driver (zcrypt_cex4.c): the default driver for CEX4..CEX6 queues. */
export function zcryptCex4QueueDriver(): ApDriver {
  return {
    name: 'cex4queue',
    isDefault: true,
    ids: CEX4_TO_CEX6,
    probe: () => 0,
    remove: () => undefined,
  };
}

/** "02.0000-02.000f (16 queues)" style: compact, in APQN order, for trace lines. */
export function describeApqns(qs: readonly Apqn[]): string {
  if (qs.length === 0) return 'no queues';
  if (qs.length <= 3) return [...qs].sort((a, b) => a - b).map(formatApqn).join(' ');
  let lo = qs[0]!;
  let hi = lo;
  for (const q of qs) {
    if (q < lo) lo = q;
    if (q > hi) hi = q;
  }
  return `${formatApqn(lo)} .. ${formatApqn(hi)} (${qs.length} queues)`;
}
