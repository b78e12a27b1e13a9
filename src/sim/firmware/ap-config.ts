/**
 * The machine's AP configuration as QCI reports it (struct ap_config_info, asm/ap.h; reference §1.1):
 * the APXA bit, Na (highest APID), Nd (highest domain index), and the apm/aqm/adm masks.
 */
import { Bitmap256 } from '../bitmap';

/** CEX4 = 10 ... CEX8 = 14 (AP_DEVICE_TYPE_*, drivers/s390/crypto/ap_bus.h). */
export const AP_DEVICE_TYPE_CEX2A = 6;
export const AP_DEVICE_TYPE_CEX4 = 10;
export const AP_DEVICE_TYPE_CEX6 = 12;
export const AP_DEVICE_TYPE_CEX8 = 14;

/**
 * The AP device type of a Crypto Express generation from CEX4 on, whose queues all share one type
 * (CEX4 = 10 ... CEX8 = 14). CEX2 and CEX3 came as two types each (accelerator "A" and coprocessor
 * "C": CEX2A 6, CEX2C 7, CEX3A 8, CEX3C 9), so a generation alone does not name them; undefined.
 */
export function cexDeviceType(generation: number): number | undefined {
  return generation >= 4 && generation <= 8 ? AP_DEVICE_TYPE_CEX4 + (generation - 4) : undefined;
}

/** Without APXA, IDs are limited to a 6-bit APID and a 4-bit APQI (reference §1.1, §1.3). */
export const NO_APXA_MAX_APID = 63;
export const NO_APXA_MAX_APQI = 15;

export interface ApConfigInfo {
  readonly apxa: boolean;
  /** Highest adapter id (Na). */
  readonly na: number;
  /** Highest domain index (Nd). */
  readonly nd: number;
  readonly apm: Bitmap256;
  readonly aqm: Bitmap256;
  readonly adm: Bitmap256;
}

/** An all-zero ap_config_info, what vfio_ap keeps when the host has no QCI (matrix_dev->info). */
export function emptyConfigInfo(): ApConfigInfo {
  return { apxa: false, na: 0, nd: 0, apm: new Bitmap256(), aqm: new Bitmap256(), adm: new Bitmap256() };
}
