/**
 * The crypto control block (CRYCB), an architected block KVM allocates in sie_page2 and firmware
 * reads under SIE (struct kvm_s390_crypto_cb, arch/s390/include/asm/kvm_host.h; reference §1.4).
 *
 * APCB0 (formats 0 and 1) has one u64 each of apm, aqm and adm: firmware can see APIDs 0-63 and
 * domains 0-63, but kvm_arch_crypto_set_masks writes only 8 bytes of apm and 2 bytes of aqm/adm
 * there (ids 0-15). APCB1 (format 2) has 4 u64 each: all 256 ids.
 */
import { Bitmap256 } from '../bitmap';

/** CRYCB_FORMAT_MASK and the format values held in the low bits of a CRYCB designation. */
export const CRYCB_FORMAT_MASK = 0x3;
export const CRYCB_FORMAT0 = 0x0;
export const CRYCB_FORMAT1 = 0x1;
export const CRYCB_FORMAT2 = 0x3;

/** Bits of each APCB0 mask firmware reads (one u64). */
export const APCB0_BITS = 64;

export interface Apcb {
  readonly apm: Bitmap256;
  readonly aqm: Bitmap256;
  readonly adm: Bitmap256;
}

export class Crycb {
  readonly apcb0: Apcb = { apm: new Bitmap256(), aqm: new Bitmap256(), adm: new Bitmap256() };
  readonly apcb1: Apcb = { apm: new Bitmap256(), aqm: new Bitmap256(), adm: new Bitmap256() };
  /** Wrapping-key masks (dea_wrapping_key_mask, aes_wrapping_key_mask): only whether they are set. */
  deaWrappingKey = false;
  aesWrappingKey = false;

  clone(): Crycb {
    const c = new Crycb();
    for (const k of ['apm', 'aqm', 'adm'] as const) {
      c.apcb0[k].copyFrom(this.apcb0[k]);
      c.apcb1[k].copyFrom(this.apcb1[k]);
    }
    c.deaWrappingKey = this.deaWrappingKey;
    c.aesWrappingKey = this.aesWrappingKey;
    return c;
  }
}

/** The format (0, 1, 2) a CRYCB designation names. */
export function crycbFormatOf(crycbd: number): 0 | 1 | 2 {
  const f = crycbd & CRYCB_FORMAT_MASK;
  return f === CRYCB_FORMAT2 ? 2 : f === CRYCB_FORMAT1 ? 1 : 0;
}

/** The APCB firmware reads for a designation: APCB1 for format 2, APCB0 otherwise. */
export function apcbFor(crycb: Crycb, crycbd: number): Apcb {
  return crycbFormatOf(crycbd) === 2 ? crycb.apcb1 : crycb.apcb0;
}
