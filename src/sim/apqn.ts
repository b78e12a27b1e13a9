/** APQN helpers (AP_MKQID, AP_QID_CARD, AP_QID_QUEUE in asm/ap.h). */
export type Apqn = number;

export const apqn = (apid: number, apqi: number): Apqn => (apid << 8) | apqi;
export const apidOf = (q: Apqn): number => q >> 8;
export const apqiOf = (q: Apqn): number => q & 0xff;
/** As the kernel prints it in `matrix`: `05.0004` ("%02lx.%04lx"). */
export const formatApqn = (q: Apqn): string =>
  `${apidOf(q).toString(16).padStart(2, '0')}.${apqiOf(q).toString(16).padStart(4, '0')}`;
