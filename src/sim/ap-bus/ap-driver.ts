/**
 * struct ap_driver (drivers/s390/crypto/ap_bus.h): what a driver offers the AP bus. The AP bus knows
 * vfio_ap only through this interface.
 */
import type { Apqn } from '../apqn';
import type { Errno } from '../errno';

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
}
