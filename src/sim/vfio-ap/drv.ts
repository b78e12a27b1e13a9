/**
 * The vfio_ap module (drivers/s390/crypto/vfio_ap_drv.c, Linux 4.20; reference §2.1, §2.14):
 * init/exit, the matrix device, and the AP queue driver whose probe and remove do nothing in 4.20.
 */
import type { ApDriver, ApQueueDevice } from '../ap-bus/ap-driver';
import type { Bitmap256 } from '../bitmap';
import type { ApBus } from '../ap-bus/ap-bus';
import { formatApqn } from '../apqn';
import { OK, Outcome, fail } from '../errno';
import { type ApConfigInfo, emptyConfigInfo } from '../firmware/ap-config';
import { CEX4_TO_CEX6 } from '../ap-bus/ap-bus';
import { FAC_QCI } from '../firmware/facilities';
import type { Kernel } from '../kernel';
import type { KvmHooks } from '../kvm/hooks';
import { isDynamic, mdevOfApqn, vfioApMdevHotUnplugCfg, vfioApMdevProbeQueue, vfioApMdevResourceInUse, vfioApMdevUnplugQueue } from './dynamic';
import { vfioApMdevRemove, vfioApMdevResetQueue } from './ops';
import { MAX_ZDEV_ENTRIES_EXT, MatrixDev, MatrixMdev, VFIO_AP_DRV_NAME, VfioApContext } from './private';
import { VfioCore } from './vfio-core';

/**
 * The vfio_ap AP driver: ids CEX4..CEX6 queues in 4.20. Probe and remove by era: 4.20's do nothing;
 * from 5.3 remove resets the queue (`vfio_ap.queue_remove`); with dynamic configuration (6.0,
 * `vfio_ap.matrix`) probe hot-plugs an assigned queue and remove unplugs its adapter first; from 6.0
 * the driver answers the AP bus's in_use question (vfio_ap_mdev_resource_in_use).
 */
class VfioApDriver implements ApDriver {
  // A class, not an object of arrow functions: a System makes one, and the loader names every
  // closure it creates (a cost per System that the scenario replay pays).
  readonly name = VFIO_AP_DRV_NAME;
  readonly isDefault = false;
  readonly ids = CEX4_TO_CEX6;

  constructor(private readonly c: VfioApContext) {}

  probe(dev: ApQueueDevice): 0 {
    const c = this.c;
    // Only an assigned queue can change a shadow APCB: ask the era question for those alone.
    if (mdevOfApqn(c, dev.apqn) && isDynamic(c, 'vfio_ap_mdev_probe_queue', formatApqn(dev.apqn))) vfioApMdevProbeQueue(c, dev.apqn);
    return 0;
  }

  remove(dev: ApQueueDevice): void {
    const c = this.c;
    const k = c.k;
    const shape = k.shape('vfio_ap.queue_remove', 'vfio-ap', 'vfio_ap_mdev_remove_queue', k.trace.recording ? `queue ${formatApqn(dev.apqn)}` : '');
    if (shape === 'nothing') {
      // vfio_ap_queue_dev_remove (4.20): nothing; the guest's CRYCB keeps the APQN.
      if (k.trace.recording) k.trace.call('vfio-ap', 'vfio_ap_queue_dev_remove', `queue ${formatApqn(dev.apqn)}`, 'nothing to do in 4.20');
      return;
    }
    const m = shape === 'unplug-adapter-then-zapq' ? vfioApMdevUnplugQueue(c, dev.apqn) : mdevOfApqn(c, dev.apqn);
    // vfio_ap_mdev_reset_queue (ZAPQ) and vfio_ap_irq_disable, then the vfio_ap_queue is freed.
    vfioApMdevResetQueue(c, dev.apqn >> 8, dev.apqn & 0xff, 1);
    m?.irqEnabled?.delete(dev.apqn);
  }

  inUse(apm: Bitmap256, aqm: Bitmap256): Outcome {
    return vfioApMdevResourceInUse(this.c, apm, aqm);
  }

  onConfigChanged(): void {
    const c = this.c;
    const mdevs = c.matrixDev?.mdevList ?? [];
    if (mdevs.length && isDynamic(c, 'vfio_ap_on_cfg_changed', 'host AP configuration changed')) for (const m of mdevs) vfioApMdevHotUnplugCfg(c, m);
  }
}

export class VfioApModule implements VfioApContext {
  matrixDev: MatrixDev | null = null;
  refcount = 0;
  readonly core: VfioCore;
  private readonly driver: ApDriver;

  constructor(
    readonly k: Kernel,
    readonly apBus: ApBus,
    hooks: KvmHooks,
  ) {
    this.core = new VfioCore(k);
    this.driver = new VfioApDriver(this);
    // KVM's KVM-VFIO device reaches the vfio core through this slot (symbol_get(vfio_group_set_kvm)).
    hooks.vfioGroupSetKvm = (group, vm) => this.core.setKvm(group, vm);
  }

  get loaded(): boolean {
    return this.matrixDev !== null;
  }

  /** The mdev on matrix_dev->mdev_list with this name (its UUID in the kernel), if any. */
  findMdev(name: string): MatrixMdev | undefined {
    // A loop, not find(): every facade call that names an mdev asks this.
    const list = this.matrixDev?.mdevList;
    if (list) for (const m of list) if (m.name === name) return m;
    return undefined;
  }

  /**
   * vfio_ap_init: the decision point `vfio_ap.init` (4.20: -ENODEV unless
   * ap_instructions_available()), then vfio_ap_matrix_dev_create (QCI snapshot if facility 12),
   * ap_driver_register, vfio_ap_mdev_register; failures unwind in reverse.
   */
  init(): Outcome {
    if (this.loaded) {
      return this.k.refuse('vfio-ap', 'load_module', 'vfio_ap is already loaded', 'EEXIST', 'the vfio_ap module is already loaded');
    }
    const verdict = this.k.decide(
      'vfio_ap.init',
      { apInstructionsAvailable: this.k.machine.apInstructionsAvailable() },
      'vfio-ap',
      'vfio_ap_init',
      'may vfio_ap load?',
    );
    if (!verdict.ok) {
      return this.k.refuse('vfio-ap', 'vfio_ap_init', verdict.why, verdict.errno, verdict.why);
    }
    // vfio_ap_matrix_dev_create
    let info: ApConfigInfo;
    if (this.k.machine.hasFacility(FAC_QCI)) {
      const qci = this.k.machine.qci();
      if (!qci) {
        return this.k.refuse('vfio-ap', 'vfio_ap_matrix_dev_create', 'ap_qci failed', 'EOPNOTSUPP', 'QCI failed');
      }
      info = qci;
    } else info = emptyConfigInfo(); // made only when QCI does not fill it
    const dev: MatrixDev = { info, availableInstances: MAX_ZDEV_ENTRIES_EXT, mdevList: [] };
    if (this.k.trace.recording)
      this.k.trace.call(
        'vfio-ap',
        'vfio_ap_matrix_dev_create',
        info.apxa ? `QCI: APXA, Na ${info.na}, Nd ${info.nd}` : this.k.machine.hasFacility(FAC_QCI) ? 'QCI: no APXA' : 'no QCI: info all zero',
        '/sys/devices/vfio_ap/matrix',
      );
    // ap_driver_register before the matrix device is visible to the driver's probe.
    this.matrixDev = dev;
    const reg = this.apBus.registerDriver(this.driver);
    if (!reg.ok) {
      this.matrixDev = null;
      this.k.trace.call('vfio-ap', 'vfio_ap_matrix_dev_destroy', 'unwind', '0');
      if (this.k.trace.recording) this.k.trace.call('vfio-ap', 'vfio_ap_init', 'ap_driver_register failed', `-${reg.errno}`);
      return reg;
    }
    if (this.k.trace.recording) this.k.trace.call('vfio-ap', 'vfio_ap_mdev_register', `available_instances ${MAX_ZDEV_ENTRIES_EXT}`, '0');
    this.k.trace.call('vfio-ap', 'vfio_ap_init', 'vfio_ap loaded', '0');
    return OK;
  }

  /**
   * rmmod vfio_ap: kmod's rmmod refuses while /sys/module/vfio_ap/refcnt > 0 ("Module vfio_ap is in
   * use"; open took a reference). vfio_ap_exit: vfio_ap_mdev_unregister (the mdev core force-removes
   * every mdev), ap_driver_unregister, vfio_ap_matrix_dev_destroy.
   */
  exit(): Outcome {
    if (!this.matrixDev) return fail('delete_module', 'ENOENT', 'the vfio_ap module is not loaded');
    if (this.refcount > 0) {
      if (this.k.trace.recording) this.k.trace.call('vfio-ap', 'rmmod', `refcnt ${this.refcount}`, 'Module vfio_ap is in use');
      return fail('rmmod', undefined, `Module vfio_ap is in use (${this.refcount} mediated device${this.refcount > 1 ? 's' : ''} open)`);
    }
    for (const m of [...this.matrixDev.mdevList]) vfioApMdevRemove(this, m, true);
    this.k.trace.call('vfio-ap', 'vfio_ap_mdev_unregister', '', '0');
    this.apBus.unregisterDriver(this.driver);
    this.matrixDev = null;
    this.k.trace.call('vfio-ap', 'vfio_ap_exit', 'vfio_ap unloaded', '0');
    return OK;
  }
}
