/**
 * struct ap_driver (drivers/s390/crypto/ap_bus.h): what a driver offers the AP bus. The AP bus knows
 * vfio_ap only through this interface.
 */
import type { Apqn } from '../apqn';
import type { Bitmap256 } from '../bitmap';
import type { Errno, Outcome } from '../errno';

export interface ApQueueDevice {
  readonly apqn: Apqn;
  /** Raw adapter type from TAPQ. */
  readonly rawType: number;
  /** ap_get_compatible_type(): the type drivers match on; 0 = unsupported. */
  readonly compType: number;
  driver: ApDriver | null;
}

export interface ApDriver {
  readonly name: string;
  /** AP_DRIVER_FLAG_DEFAULT: zcrypt's drivers are default drivers; vfio_ap is not. */
  readonly isDefault: boolean;
  /** The driver's id table (struct ap_device_id[]): the device types it binds. */
  readonly ids: ReadonlySet<number>;
  /** probe callback; returns 0 or an errno. */
  probe(dev: ApQueueDevice): Errno | 0;
  /** remove callback. */
  remove(dev: ApQueueDevice): void;
  /**
   * in_use callback (AP bus 5.18+, 4f8206b88286): are any of apm x aqm in use by this driver? An
   * errno refuses the mask edit. Asked only when the release has it (`ap_bus.in_use`).
   */
  inUse?(apm: Bitmap256, aqm: Bitmap256): Outcome;
  /**
   * on_config_changed callback (AP bus 5.18+): ap_scan_bus calls it with the new QCI configuration
   * before it removes or creates queue devices.
   */
  onConfigChanged?(): void;
}
