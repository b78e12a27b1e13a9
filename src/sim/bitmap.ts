/**
 * A 256-bit AP mask in the kernel's "inverted" bit order (set_bit_inv / test_bit_inv): id 0 is the
 * leftmost (most significant) bit of the first byte. This is the order of QCI's apm/aqm/adm, of the
 * CRYCB's APCB masks, of ap_perms (apmask/aqmask) and of matrix_mdev->matrix. Keeping one order
 * everywhere makes the byte-width truncation of kvm_arch_crypto_set_masks (8 bytes of apm, 2 of
 * aqm/adm for formats 0/1) a plain prefix, exactly as the kernel's memcpy does.
 *
 * Stored as eight 32-bit words: word w holds ids 32w..32w+31, id 32w in bit 31.
 */
export class Bitmap256 {
  readonly words: Uint32Array;

  constructor(words?: Uint32Array) {
    this.words = words ? words.slice() : new Uint32Array(8);
  }

  static full(): Bitmap256 {
    const b = new Bitmap256();
    b.words.fill(0xffffffff);
    return b;
  }

  clone(): Bitmap256 {
    return new Bitmap256(this.words);
  }

  test(id: number): boolean {
    if (id < 0 || id > 255) return false;
    return (this.words[id >>> 5]! & (0x80000000 >>> (id & 31))) !== 0;
  }

  set(id: number): void {
    this.words[id >>> 5]! |= 0x80000000 >>> (id & 31);
  }

  clear(id: number): void {
    this.words[id >>> 5]! &= ~(0x80000000 >>> (id & 31));
  }

  isEmpty(): boolean {
    for (let i = 0; i < 8; i++) if (this.words[i] !== 0) return false;
    return true;
  }

  /** bitmap_and(): true if the intersection is non-empty. */
  intersects(other: Bitmap256): boolean {
    for (let i = 0; i < 8; i++) if ((this.words[i]! & other.words[i]!) !== 0) return true;
    return false;
  }

  and(other: Bitmap256): Bitmap256 {
    const r = new Bitmap256();
    for (let i = 0; i < 8; i++) r.words[i] = this.words[i]! & other.words[i]!;
    return r;
  }

  copyFrom(other: Bitmap256): void {
    this.words.set(other.words);
  }

  /** Set ids in ascending order, optionally only up to `max` (for_each_set_bit_inv(..., max + 1)). */
  ids(max = 255): number[] {
    const out: number[] = [];
    for (let w = 0; w < 8; w++) {
      const word = this.words[w]!;
      if (word === 0) continue;
      for (let b = 0; b < 32; b++) {
        const id = w * 32 + b;
        if (id > max) return out;
        if (word & (0x80000000 >>> b)) out.push(id);
      }
    }
    return out;
  }

  /** A copy holding only the ids up to `max` (ids(max) as a bitmap), a word at a time. */
  upTo(max: number): Bitmap256 {
    const r = new Bitmap256();
    for (let w = 0; w < 8; w++) {
      const first = w * 32;
      if (first > max) break;
      const n = max - first + 1; // how many ids of this word are kept, from its most significant bit
      r.words[w] = n >= 32 ? this.words[w]! : this.words[w]! & ~(0xffffffff >>> n);
    }
    return r;
  }

  /** `0x` + 64 hex digits, MSB = id 0: how the AP bus shows apmask/aqmask. */
  toHex(): string {
    let s = '0x';
    for (let i = 0; i < 8; i++) s += this.words[i]!.toString(16).padStart(8, '0');
    return s;
  }

  /** Compact key for state hashing. */
  key(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.words[i]!.toString(36) + ',';
    return s;
  }
}
