/**
 * Pure parsers for the step vocabulary's parameter types (spec/steps.md, "Parameter types").
 *
 * The parameter types' regular expressions (below, `*_PATTERN`) are deliberately permissive: they
 * capture a wrong value (`0x1ff`, `5.4`, `ENOPE`) so that the parser can say what is wrong with it,
 * instead of Cucumber reporting the whole step as undefined. Each parser either returns the value or
 * throws an Error whose message names the parameter, the value and the accepted forms.
 */
import {
  ERRNOS,
  isErrno,
  type Errno,
  GUEST_INSTRUCTIONS,
  MATRIX_ATTRS,
  CPU_FEATURES,
  parseCpuModel,
  apqn,
  KVM_S390_VM_CRYPTO,
  type CryptoAttrName,
  type GuestInstruction,
  type MatrixAttr,
} from '../../src/sim/api';
import { stepError } from './errors';

/** One token of a list: anything up to whitespace, a comma or a quote. */
const TOKEN = String.raw`[^\s,"]+`;
/** The separators of a list: `,` (with or without spaces) or the word `and`. */
const SEPARATOR = String.raw`(?:\s*,\s*|\s+and\s+)`;
const listOf = (token: string): string => `${token}(?:${SEPARATOR}${token})*`;

export const ID_PATTERN = TOKEN;
export const IDS_PATTERN = listOf(TOKEN);
export const APQN_PATTERN = TOKEN;
export const APQNS_PATTERN = listOf(TOKEN);
export const ERRNO_PATTERN = TOKEN;
export const RC_PATTERN = TOKEN;

const ID_FORMS = 'write a decimal (5) or 0x-prefixed hex (0x05) number from 0 to 255';
const IDS_FORMS =
  'write ids (decimal 5 or hex 0x05, from 0 to 255) and ranges (0-3), separated by "," or "and", e.g. "1, 2 and 5", "0-3" or "0x04,0x47"';
const APQN_FORMS =
  'write it as the kernel prints it in the matrix attribute: 2 hex digits for the adapter (APID), a dot, 4 hex digits for the domain (APQI), e.g. 05.0004';

/** Split a list written with `,` and/or `and`; undefined if an item is empty. */
function splitList(text: string): string[] {
  return text.trim().split(/\s*,\s*|\s+and\s+/);
}

/** An AP id (APID, APQI or control domain) or undefined; decimal (leading zeros allowed) or 0x hex. */
function idValue(text: string): number | undefined {
  let value: number;
  if (/^[0-9]+$/.test(text)) value = Number.parseInt(text, 10);
  else if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = Number.parseInt(text.slice(2), 16);
  else return undefined;
  return value <= 255 ? value : undefined;
}

/** `{id}`: one AP id, `5`, `0x05`, `0xab`, `255`. */
export function parseId(text: string): number {
  const value = idValue(text);
  if (value === undefined) throw stepError(`{id} "${text}" is not an AP id: ${ID_FORMS}.`);
  return value;
}

/** `{ids}`: a list of ids and ranges, `1, 2 and 5`, `0-3`, `0x04,0x47`. Sorted, without duplicates. */
export function parseIds(text: string): number[] {
  const ids = new Set<number>();
  for (const item of splitList(text)) {
    const range = /^([^-]+)-([^-]+)$/.exec(item);
    if (range) {
      const [from, to] = [idValue(range[1]), idValue(range[2])];
      if (from === undefined || to === undefined || from > to)
        throw stepError(
          `{ids} "${text}" is not a list of AP ids: the range "${item}" must go from a smaller to a larger id; ${IDS_FORMS}.`,
        );
      for (let id = from; id <= to; id++) ids.add(id);
      continue;
    }
    const id = idValue(item);
    if (id === undefined)
      throw stepError(`{ids} "${text}" is not a list of AP ids: "${item}" is not an id; ${IDS_FORMS}.`);
    ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** `{apqn}`: `05.0004` (APID 0x05, APQI 0x0004), as `AP_MKQID` builds it. */
export function parseApqn(text: string): number {
  const m = /^([0-9a-fA-F]{2})\.([0-9a-fA-F]{4})$/.exec(text);
  if (!m) throw stepError(`{apqn} "${text}" is not an APQN: ${APQN_FORMS}.`);
  const apqi = Number.parseInt(m[2], 16);
  if (apqi > 0xff)
    throw stepError(`{apqn} "${text}" is not an APQN: the domain 0x${m[2]} is above 0x00ff, the highest AP queue index; ${APQN_FORMS}.`);
  return apqn(Number.parseInt(m[1], 16), apqi);
}

/** `{apqns}`: `05.0004, 05.0005 and 06.0004`. Sorted, without duplicates. */
export function parseApqns(text: string): number[] {
  const apqns = new Set<number>();
  for (const item of splitList(text)) {
    try {
      apqns.add(parseApqn(item));
    } catch {
      throw stepError(
        `{apqns} "${text}" is not a list of APQNs: "${item}" is not an APQN; write APQNs as the kernel prints them (05.0004), separated by "," or "and", e.g. "05.0004, 05.0005 and 06.0004".`,
      );
    }
  }
  return [...apqns].sort((a, b) => a - b);
}

/** `{errno}`: a Linux errno name the simulated stack can return (src/sim/errno.ts). */
export function parseErrno(text: string): Errno {
  if (isErrno(text)) return text;
  const bare = text.replace(/^-/, '').toUpperCase();
  const hint = bare !== text && isErrno(bare) ? ` (write ${bare}: the name in capitals, without a minus sign)` : '';
  throw stepError(`{errno} "${text}" is not an errno name the simulated kernel returns${hint}: write one of ${ERRNOS.join(', ')}.`);
}

/** `{rc}`: an AP response code in hex, `0x00` (normal), `0x01` (APQN not available). */
export function parseRc(text: string): number {
  if (/^0[xX][0-9a-fA-F]{1,2}$/.test(text)) return Number.parseInt(text.slice(2), 16);
  throw stepError(
    `{rc} "${text}" is not an AP response code: write it in hex with 0x, from 0x00 to 0xff, e.g. 0x00 (normal completion) or 0x01 (APQN not available).`,
  );
}

/**
 * A QEMU `-cpu` argument a guest step passes (`host,ap=off`): returned unchanged if apspec's QEMU
 * model can parse it, else a step error naming the CPU-model features it knows. (Whether the host
 * offers a known feature is QEMU's business and stays an outcome of the step.)
 */
export function checkCpuModel(text: string): string {
  const parsed = parseCpuModel(text);
  if (parsed.ok) return text;
  throw stepError(
    `CPU model "${text}" is not one apspec's QEMU can parse (${parsed.error}): write host, optionally followed by ,<feature>=on|off for the features ${CPU_FEATURES.join(', ')}, e.g. "host,ap=off" or "host,msa3=off".`,
  );
}

/** Permissive: `PQAP(...)` with anything inside, or one capitalised word, so a typo gets an explanation. */
export const AP_INSTRUCTION_PATTERN = String.raw`PQAP\([^)\s]*\)|[A-Z][A-Z0-9]+`;

/** `{ap_instruction}`: PQAP(TAPQ), PQAP(QCI), NQAP, DQAP (and the other PQAP function codes). */
export function parseApInstruction(text: string): GuestInstruction {
  const found = GUEST_INSTRUCTIONS.find((insn) => insn === text);
  if (found) return found;
  throw stepError(`{ap_instruction} "${text}" is not an AP instruction a guest step can execute: write one of ${GUEST_INSTRUCTIONS.join(', ')}.`);
}

/** Permissive: any `assign_...`/`unassign_...` word. */
export const MATRIX_ATTR_PATTERN = String.raw`(?:un)?assign_\w+`;

/** `{matrix_attr}`: assign_adapter, assign_domain, assign_control_domain and the unassign_ ones. */
export function parseMatrixAttr(text: string): MatrixAttr {
  const found = MATRIX_ATTRS.find((attr) => attr === text);
  if (found) return found;
  throw stepError(`{matrix_attr} "${text}" is not a writable attribute of a vfio_ap mediated device: write one of ${MATRIX_ATTRS.join(', ')}.`);
}

/** `{matrix_kind}`: what the assign/unassign steps name; `control domain` becomes `control_domain`. */
export type MatrixKind = 'adapter' | 'domain' | 'control_domain';
/**
 * A KVM_S390_VM_CRYPTO attribute: its uapi name without the prefix (`ENABLE_APIE`), the full name
 * (`KVM_S390_VM_CRYPTO_ENABLE_APIE`), or a decimal attribute number (`"99"`, which no kernel defines:
 * the kernel answers -ENXIO).
 */
export function parseCryptoAttr(text: string): CryptoAttrName | number {
  const name = text.replace(/^KVM_S390_VM_CRYPTO_/, '');
  if (Object.prototype.hasOwnProperty.call(KVM_S390_VM_CRYPTO, name)) return name as CryptoAttrName;
  if (/^\d{1,10}$/.test(text)) return Number(text);
  throw stepError(
    `crypto attribute "${text}" is neither a KVM_S390_VM_CRYPTO attribute name nor an attribute number: write one of ${Object.keys(KVM_S390_VM_CRYPTO).join(', ')}, or a decimal number such as "99" for an attribute no kernel defines.`,
  );
}

export const MATRIX_KIND_PATTERN = 'control domain|adapter|domain';
export function parseMatrixKind(text: string): MatrixKind {
  return text === 'control domain' ? 'control_domain' : (text as MatrixKind);
}

/** Format a set of ids for messages: `{2, 4-7}`, or `{}` when empty. */
export function formatIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i + 1 ? `${sorted[i]}-${sorted[j]}` : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return `{${parts.join(', ')}}`;
}
