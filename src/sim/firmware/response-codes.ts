/** AP queue status response codes (AP_RESPONSE_*, drivers/s390/crypto/ap_bus.h; reference §1.1). */
export const AP_RESPONSE_NORMAL = 0x00;
export const AP_RESPONSE_Q_NOT_AVAIL = 0x01;
export const AP_RESPONSE_RESET_IN_PROGRESS = 0x02;
export const AP_RESPONSE_DECONFIGURED = 0x03;
export const AP_RESPONSE_CHECKSTOPPED = 0x04;
export const AP_RESPONSE_BUSY = 0x05;
export const AP_RESPONSE_INVALID_ADDRESS = 0x06;
export const AP_RESPONSE_OTHERWISE_CHANGED = 0x07;
export const AP_RESPONSE_INVALID_GISA = 0x08;
export const AP_RESPONSE_NO_PENDING_REPLY = 0x10;

/** A response code as traces and step messages print it: `0x05`. */
export function formatRc(rc: number): string {
  return `0x${rc.toString(16).padStart(2, '0')}`;
}
