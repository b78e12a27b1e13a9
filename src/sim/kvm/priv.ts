/**
 * KVM's handler for an intercepted PQAP (arch/s390/kvm/priv.c `handle_pqap`, 5.3+: e5282de93105
 * "s390: ap: kvm: add PQAP interception for AQIC"; PRIV @ 0130337ec45b; reference §2.12).
 *
 * Firmware intercepts PQAP(AQIC) even when it interprets AP instructions (ECA.28 set), and every AP
 * instruction when ECA.28 is clear. Whether KVM handles the intercept at all is the era point
 * `kvm.handle_pqap` (KvmModule.instructionIntercept); this file is the 5.3+ handler, in the kernel's
 * order. Its answers:
 * - `userspace`: the handler returned -EOPNOTSUPP, so the intercept exits to the VMM (which has no
 *   handler and injects an operation exception);
 * - a program exception KVM injects (privileged-operation, specification);
 * - completed: the status word in GR1 and the condition code.
 */
import { formatApqn, type Apqn, apidOf, apqiOf } from '../apqn';
import { ECA_APIE, type PqapOperands, type ProgramException } from '../firmware/ap-instructions';
import { FAC_APFT, FAC_AQIC } from '../firmware/facilities';
import { NO_APXA_MAX_APID, NO_APXA_MAX_APQI } from '../firmware/ap-config';
import { AP_RESPONSE_NORMAL, AP_RESPONSE_Q_NOT_AVAIL, formatRc } from '../firmware/response-codes';
import type { Kernel } from '../kernel';
import type { Vcpu, Vm } from './vm';

/** handle_pqap tests only this bit of crycbd: set for format 2 (0x03), clear for formats 0 and 1. */
const CRYCBD_FORMAT2_BIT = 0x02;

/** The PQAP function code of AQIC (GR0 bits 32-39). */
export const PQAP_AQIC = 3;

export type PqapIntercept =
  | { readonly kind: 'userspace'; readonly why: string }
  | { readonly kind: 'exception'; readonly exception: ProgramException }
  | { readonly kind: 'completed'; readonly cc: number; readonly rc: number };

/**
 * handle_pqap(vcpu) for PQAP function code `fc` on `apqn`, with the guest's operands. Order (§2.12):
 * 1. no AP instructions on the host -> -EOPNOTSUPP; 2. ECA_APIE clear -> -EOPNOTSUPP; 3. fc != 3
 * (AQIC) -> -EOPNOTSUPP (a WARN until 5615e74f48dc); 4. problem state -> privileged-operation;
 * 5. GR0 bits 41-47 set -> specification; 6. T bit without facility 15 -> specification; 7. a CRYCB
 * that is not format 2 (crycbd bit 0x02 clear) with APID > 63 or APQI > 15 -> specification;
 * 8. no facility 65 -> specification; 9. down_read(pqap_hook_rwsem): a hook is called; if it
 * returns 0, GR1 holds its status: RC != 0 sets cc 3, RC 0 leaves the cc unchanged (until CCFX) or
 * sets cc 0 (`kvm.aqic_cc`); a hook's -EOPNOTSUPP exits to userspace; 10. no hook: RC 0x01, cc 3.
 */
export function kvmHandlePqap(k: Kernel, vm: Vm, vcpu: Vcpu, fc: number, apqn: Apqn, op: PqapOperands): PqapIntercept {
  const fn = 'handle_pqap';
  const where = `${vm.name} vcpu ${vcpu.id}, ${formatApqn(apqn)}`;
  const toUserspace = (why: string): PqapIntercept => {
    if (k.trace.recording) k.trace.call('kvm', fn, `${where}: ${why}`, '-EOPNOTSUPP (exit to userspace)');
    return { kind: 'userspace', why };
  };
  const inject = (exception: ProgramException, why: string): PqapIntercept => {
    if (k.trace.recording) k.trace.call('kvm', fn, `${where}: ${why}`, `inject ${exception === 'specification' ? 'PGM_SPECIFICATION' : 'PGM_PRIVILEGED_OP'}`);
    return { kind: 'exception', exception };
  };
  if (!k.machine.apInstructionsAvailable()) return toUserspace('ap_instructions_available() is false');
  if ((vcpu.sie.eca & ECA_APIE) === 0) return toUserspace('ECA_APIE is clear');
  if (fc !== PQAP_AQIC) return toUserspace(`function code ${fc} is not AQIC`);
  if (op.problemState) return inject('privileged-operation', 'the guest is in problem state');
  if (op.gr0Reserved !== 0) return inject('specification', 'GR0 bits 41-47 are not zero');
  if (op.tBit && !vm.hasFacility(FAC_APFT)) return inject('specification', 'T bit without facility 15 (APFT)');
  if ((vm.crypto.crycbd & CRYCBD_FORMAT2_BIT) === 0 && (apidOf(apqn) > NO_APXA_MAX_APID || apqiOf(apqn) > NO_APXA_MAX_APQI))
    return inject('specification', `APQN ${formatApqn(apqn)} is above 63/15 and the CRYCB is not format 2`);
  if (!vm.hasFacility(FAC_AQIC)) return inject('specification', 'the guest has no facility 65 (AQIC)');

  // down_read(&vcpu->kvm->arch.crypto.pqap_hook_rwsem): the hook stays while it runs.
  const hook = vm.crypto.pqapHook;
  if (!hook) {
    if (k.trace.recording) k.trace.call('kvm', fn, `${where}: no pqap_hook`, `RC ${formatRc(AP_RESPONSE_Q_NOT_AVAIL)}, cc 3`);
    return { kind: 'completed', cc: 3, rc: AP_RESPONSE_Q_NOT_AVAIL };
  }
  const r = hook.handlePqap({ vm, vcpu, apqn, ir: op.ir, isc: op.isc, nib: op.nib, nibValid: op.nibValid });
  if (!r.ok) return toUserspace(`${hook.pqapOwner}'s pqap_hook returned -${r.errno}`);
  let cc: number;
  if (r.rc !== AP_RESPONSE_NORMAL) cc = 3;
  else if (k.shape('kvm.aqic_cc', 'kvm', fn, k.trace.recording ? `${where}: the hook returned RC 0x00` : '') === 'cc0') cc = 0;
  else cc = vcpu.pswCc; // kvm_s390_set_psw_cc is not called: the guest keeps the cc it had
  if (k.trace.recording) k.trace.call('kvm', fn, `${where}: ${hook.pqapOwner}'s pqap_hook`, `RC ${formatRc(r.rc)}, cc ${cc}`);
  return { kind: 'completed', cc, rc: r.rc };
}
