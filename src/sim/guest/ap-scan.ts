/**
 * What runs inside a guest: single AP instructions on vcpu 0, and the scan a Linux guest's AP bus
 * does (ap_module_init / ap_scan_bus in the guest kernel; reference §1.7, §2.13).
 */
import { Apqn, apqn, formatApqn } from '../apqn';
import { NO_APXA_MAX_APID, NO_APXA_MAX_APQI } from '../firmware/ap-config';
import {
  DEFAULT_PQAP_OPERANDS,
  GuestInstruction,
  InstructionResult,
  PqapOperands,
  executeUnderSie,
  guestQciView,
} from '../firmware/ap-instructions';
import { FAC_APFT, FAC_QCI } from '../firmware/facilities';
import { AP_RESPONSE_NORMAL, formatRc } from '../firmware/response-codes';
import type { Userspace, VmmProcess } from '../qemu/vmm';
import { vmmHandleApIntercept } from '../qemu/vmm';

/**
 * One AP instruction on the guest's vcpu 0: firmware interprets it or intercepts it. KVM handles an
 * intercepted PQAP from 5.3 (handle_pqap); otherwise, and whenever the handler returns -EOPNOTSUPP,
 * the exit goes to the VMM, which has no handler and injects an operation exception. A completed
 * instruction leaves its condition code in the vcpu's PSW (`Vcpu.pswCc`).
 * `operands`: the PQAP operands beyond fc and APQN (default: supervisor state, AQIC enabling
 * interruptions with a valid NIB).
 */
export function guestExecute(
  u: Userspace,
  p: VmmProcess,
  insn: GuestInstruction,
  q: Apqn,
  traced = true,
  operands: PqapOperands = DEFAULT_PQAP_OPERANDS,
): InstructionResult {
  const vm = p.vm;
  const vcpu = vm.vcpus[0]!;
  const r = executeUnderSie(u.k.machine, vcpu.sie, vm.crypto.crycb, vm.facList, insn, q);
  let result: InstructionResult;
  if (r.kind === 'intercept') {
    const handled = u.kvm.instructionIntercept(vm, vcpu, insn, q, operands);
    result = handled.kind === 'userspace' ? { kind: 'exception', exception: vmmHandleApIntercept(u, p, insn) } : handled;
  } else result = r;
  if (result.kind === 'completed') vcpu.pswCc = result.cc;
  if (traced && u.k.trace.recording)
    u.k.trace.call(
      'guest',
      insn,
      `${p.guest} vcpu 0 on ${formatApqn(q)}${operands.problemState ? ' in problem state' : ''}`,
      result.kind === 'completed' ? `cc ${result.cc} rc ${formatRc(result.rc)}` : `${result.exception} exception`,
    );
  return result;
}

/**
 * A Linux guest's AP bus scan:
 * 1. ap_instructions_available: PQAP(TAPQ) on 00.0000; an operation exception means no AP bus.
 * 2. Without facility 15 (APFT) TAPQ cannot report device types, so no device is created.
 * 3. Candidates: QCI's apm x aqm when the guest has facility 12 (firmware returns the CRYCB masks);
 *    otherwise APIDs 0-63 x APQIs 0-15.
 * 4. A device for each candidate whose TAPQ answers RC 0x00.
 */
export function guestApScan(u: Userspace, p: VmmProcess): Apqn[] {
  const probe = guestExecute(u, p, 'PQAP(TAPQ)', apqn(0, 0), false);
  if (probe.kind === 'exception') {
    if (u.k.trace.recording) u.k.trace.call('guest', 'ap_module_init', `${p.guest}: PQAP(TAPQ) on 00.0000 -> ${probe.exception} exception`, 'no AP instructions: no AP bus');
    return [];
  }
  if (!p.vm.hasFacility(FAC_APFT)) {
    if (u.k.trace.recording) u.k.trace.call('guest', 'ap_scan_bus', `${p.guest}: no facility 15 (APFT)`, 'no device types: no devices');
    return [];
  }
  let apids: number[];
  let apqis: number[];
  if (p.vm.hasFacility(FAC_QCI)) {
    const view = guestQciView(p.vm.crypto.crycb, p.vm.vcpus[0]!.sie.crycbd);
    apids = view.apm;
    apqis = view.aqm;
    if (u.k.trace.recording) u.k.trace.call('guest', 'ap_query_configuration', `${p.guest}: QCI`, `apm {${apids.join(',')}} aqm {${apqis.join(',')}}`);
  } else {
    apids = range(NO_APXA_MAX_APID);
    apqis = range(NO_APXA_MAX_APQI);
    if (u.k.trace.recording) u.k.trace.call('guest', 'ap_scan_bus', `${p.guest}: no QCI (facility 12)`, 'probing APIDs 0-63 x APQIs 0-15');
  }
  const found: Apqn[] = [];
  for (const a of apids)
    for (const d of apqis) {
      const r = guestExecute(u, p, 'PQAP(TAPQ)', apqn(a, d), false);
      if (r.kind === 'completed' && r.rc === AP_RESPONSE_NORMAL) found.push(apqn(a, d));
    }
  if (u.k.trace.recording) u.k.trace.call('guest', 'ap_scan_bus', p.guest, found.length ? `queues ${found.map(formatApqn).join(' ')}` : 'no queues');
  return found;
}

function range(max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= max; i++) out.push(i);
  return out;
}
