/**
 * How firmware treats a guest's AP instruction under SIE (reference §2.12, §2.13).
 *
 * - No AP instructions on the machine: operation exception.
 * - ECA.28 (ECA_APIE) clear: every AP instruction is intercepted (KVM then decides).
 * - ECA.28 set: interpreted against the vcpu's CRYCB (format from its CRYCB designation). With
 *   LPAR as host only PQAP(AQIC) is still intercepted.
 *
 * The guest-visible response codes for interpreted TAPQ/NQAP/DQAP come from the AP architecture,
 * which the kernel sources only imply [arch]; apspec follows the reference's reading: an APQN inside
 * APM x AQM reaches the real queue, outside it gives RC 0x01 with cc 3.
 */
import { Apqn, apidOf, apqiOf } from '../apqn';
import { Crycb, apcbFor, crycbFormatOf } from './crycb';
import { FAC_QCI } from './facilities';
import type { Machine } from './machine';
import {
  AP_RESPONSE_NORMAL,
  AP_RESPONSE_NO_PENDING_REPLY,
  AP_RESPONSE_Q_NOT_AVAIL,
} from './response-codes';
import { NO_APXA_MAX_APID, NO_APXA_MAX_APQI } from './ap-config';

/** The AP instructions a guest can execute (PQAP with its function codes, NQAP, DQAP). */
export const GUEST_INSTRUCTIONS = ['PQAP(TAPQ)', 'PQAP(QCI)', 'PQAP(RAPQ)', 'PQAP(ZAPQ)', 'PQAP(AQIC)', 'NQAP', 'DQAP'] as const;
export type GuestInstruction = (typeof GUEST_INSTRUCTIONS)[number];
export type ProgramException = 'operation' | 'specification' | 'privileged-operation';

/** What a guest sees when it executes one AP instruction. */
export type InstructionResult =
  | { readonly kind: 'completed'; readonly cc: number; readonly rc: number }
  | { readonly kind: 'exception'; readonly exception: ProgramException };

/** ECA bit 28: AP instruction interpretation (ECA_APIE, arch/s390/include/asm/kvm_host.h). */
export const ECA_APIE = 0x00000008;
/** ECA_AIV: adapter-interruption virtualization, set on a vcpu whose VM has a GISA (kvm_host.h). */
export const ECA_AIV = 0x00200000;

/**
 * The operands of a guest PQAP beyond its function code and APQN, as KVM's handle_pqap reads them:
 * the PSW's problem-state bit, GR0 bits 41-47 (must be zero), GR0's T bit (bit 40, needs facility
 * 15), GR1's IR bit (bit 16) and ISC, and GR2's notification-indicator byte (NIB) address.
 */
export interface PqapOperands {
  readonly problemState: boolean;
  /** GR0 bits 41-47, as a 7-bit value. */
  readonly gr0Reserved: number;
  readonly tBit: boolean;
  readonly ir: boolean;
  readonly isc: number;
  readonly nib: number;
  /** Whether the NIB address is valid guest memory (vfio_ap_validate_nib / vfio_pin_pages succeed). */
  readonly nibValid: boolean;
}

/**
 * What a Linux guest's AP bus passes for AQIC (kernels.md: "PQAP(AQIC) as a guest step means enable
 * interruptions, IR set, with a valid NIB, from supervisor state"): the AP bus's ISC 6 (AP_ISC).
 */
export const DEFAULT_PQAP_OPERANDS: PqapOperands = Object.freeze({
  problemState: false,
  gr0Reserved: 0,
  tBit: false,
  ir: true,
  isc: 6,
  nib: 0x1000,
  nibValid: true,
});

/** The parts of a vcpu's SIE control block firmware consults for AP instructions. */
export interface SieCryptoFields {
  readonly eca: number;
  readonly crycbd: number;
}

export type FirmwareResult = InstructionResult | { readonly kind: 'intercept' };

export interface GuestFacilities {
  has(nr: number): boolean;
}

/**
 * Execute one AP instruction of a guest vcpu. `crycb` is the block the designation points to, or
 * null when KVM allocated none (then crycbd is 0).
 */
export function executeUnderSie(
  machine: Machine,
  sie: SieCryptoFields,
  crycb: Crycb | null,
  guestFacilities: GuestFacilities,
  insn: GuestInstruction,
  q: Apqn,
): FirmwareResult {
  if (!machine.apInstructions) return { kind: 'exception', exception: 'operation' };
  if ((sie.eca & ECA_APIE) === 0) return { kind: 'intercept' };
  // With ECA.28 set and LPAR as host, firmware intercepts only PQAP(AQIC) (APIEFX; PRIV).
  if (insn === 'PQAP(AQIC)') return { kind: 'intercept' };

  const format = crycbFormatOf(sie.crycbd);
  // [arch] A CRYCB designation of 0 (no CRYCB allocated, pre-4.20 KVM) gives firmware no masks;
  // apspec reads that as "no APQN is available". The reference leaves this open (§5.4).
  const apcb = sie.crycbd !== 0 && crycb ? apcbFor(crycb, sie.crycbd) : undefined;

  if (insn === 'PQAP(QCI)') {
    // [arch] QCI without facility 12 in the guest is an invalid function code: specification.
    if (!guestFacilities.has(FAC_QCI)) return { kind: 'exception', exception: 'specification' };
    return { kind: 'completed', cc: 0, rc: AP_RESPONSE_NORMAL };
  }

  const apid = apidOf(q);
  const apqi = apqiOf(q);
  // [arch] Formats 0/1 address 6-bit APIDs and 4-bit APQIs; handle_pqap raises a specification
  // exception for larger ids with a non-format-2 CRYCB (PRIV), and apspec reads firmware alike.
  if (format !== 2 && (apid > NO_APXA_MAX_APID || apqi > NO_APXA_MAX_APQI))
    return { kind: 'exception', exception: 'specification' };

  if (!apcb || !apcb.apm.test(apid) || !apcb.aqm.test(apqi))
    return { kind: 'completed', cc: 3, rc: AP_RESPONSE_Q_NOT_AVAIL };

  // Inside the masks: the real queue answers.
  const status = machine.tapq(q);
  if (status.rc !== AP_RESPONSE_NORMAL) return { kind: 'completed', cc: 3, rc: status.rc };
  switch (insn) {
    case 'PQAP(TAPQ)':
      return { kind: 'completed', cc: 0, rc: AP_RESPONSE_NORMAL };
    case 'PQAP(RAPQ)':
    case 'PQAP(ZAPQ)':
      machine.pendingReplies.delete(q);
      return { kind: 'completed', cc: 0, rc: AP_RESPONSE_NORMAL };
    case 'NQAP':
      machine.pendingReplies.add(q);
      return { kind: 'completed', cc: 0, rc: AP_RESPONSE_NORMAL };
    case 'DQAP':
      if (!machine.pendingReplies.delete(q)) return { kind: 'completed', cc: 3, rc: AP_RESPONSE_NO_PENDING_REPLY };
      return { kind: 'completed', cc: 0, rc: AP_RESPONSE_NORMAL };
  }
}

/**
 * What QCI returns to a guest under interpretation [arch]: its CRYCB masks as its AP configuration
 * (the guest's lszcrypt lists exactly the assigned queues, DOC18/DOC6).
 */
export function guestQciView(crycb: Crycb | null, crycbd: number): { apm: number[]; aqm: number[]; apxa: boolean } {
  const format = crycbFormatOf(crycbd);
  if (!crycb || crycbd === 0) return { apm: [], aqm: [], apxa: false };
  const apcb = apcbFor(crycb, crycbd);
  const maxApid = format === 2 ? 255 : NO_APXA_MAX_APID;
  const maxApqi = format === 2 ? 255 : NO_APXA_MAX_APQI;
  return { apm: apcb.apm.ids(maxApid), aqm: apcb.aqm.ids(maxApqi), apxa: format === 2 };
}
