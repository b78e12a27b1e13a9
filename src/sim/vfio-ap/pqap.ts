/**
 * vfio_ap's PQAP(AQIC) hook, `handle_pqap` in drivers/s390/crypto/vfio_ap_ops.c (5.3+,
 * e5282de93105; OPS511/OPS519/OPS6; reference §2.12): what KVM's handle_pqap calls through
 * kvm->arch.crypto.pqap_hook (src/sim/kvm/hooks.ts) for an intercepted AQIC. The hook is the
 * matrix_mdev whose hook is in the slot; in 5.19/6.0 that may be a refused second mdev
 * (`vfio_ap.set_kvm` = hook-before-owner-check), whose kvm is NULL, so every AQIC answers RC 0x01.
 */
import { formatApqn } from '../apqn';
import {
  AP_RESPONSE_INVALID_ADDRESS,
  AP_RESPONSE_INVALID_GISA,
  AP_RESPONSE_NORMAL,
  AP_RESPONSE_Q_NOT_AVAIL,
  formatRc,
} from '../firmware/response-codes';
import type { PqapRequest, PqapResult } from '../kvm/hooks';
import { queueLinked } from './dynamic';
import type { MatrixMdev, VfioApContext } from './private';

/** ECA_AIV (0x00200000): adapter-interruption virtualization, set on vcpus with a GISA (defined beside ECA_APIE). */
import { ECA_AIV } from '../firmware/ap-instructions';
export { ECA_AIV };

/** MAX_ISC: kvm_s390_gisc_register refuses a guest ISC above 7 (-ERANGE). */
const MAX_ISC = 7;

/**
 * handle_pqap (vfio_ap), in the kernel's order:
 * 1. the vcpu lacks ECA_AIV -> -EOPNOTSUPP (KVM exits to userspace, QEMU injects an operation exception);
 * 2. matrix_mdev->kvm is NULL -> RC 0x01;
 * 3. the APQN is not in the mdev's apm x aqm, or its queue is not bound to vfio_ap (E5: not in the
 *    qtable) -> RC 0x01;
 * 4. IR set: vfio_ap_irq_enable: the NIB address is invalid or cannot be pinned -> RC 0x06; the GISC
 *    registration fails -> RC 0x08; else the real AQIC's status. IR clear: vfio_ap_irq_disable, the
 *    real AQIC's status.
 * The status goes to GR1 and the hook returns 0.
 */
export function vfioApHandlePqap(c: VfioApContext, m: MatrixMdev, req: PqapRequest): PqapResult {
  const fn = 'handle_pqap';
  const q = req.apqn;
  const where = `${m.name}'s hook, ${formatApqn(q)} from ${req.vm.name}`;
  if ((req.vcpu.sie.eca & ECA_AIV) === 0) {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${where}: vcpu has no ECA_AIV`, '-EOPNOTSUPP');
    return { ok: false, errno: 'EOPNOTSUPP' };
  }
  const status = (rc: number, why: string, irqEnabled = false): PqapResult => {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${where}: ${why}`, `RC ${formatRc(rc)}`);
    return { ok: true, rc, irqEnabled };
  };
  if (!m.kvm) return status(AP_RESPONSE_Q_NOT_AVAIL, 'matrix_mdev->kvm is NULL');
  if (!queueLinked(c, m, q)) return status(AP_RESPONSE_Q_NOT_AVAIL, 'APQN not assigned to the mdev or its queue not bound to vfio_ap');
  if (req.ir) {
    // vfio_ap_irq_enable: vfio_ap_validate_nib, then vfio_pin_pages on the NIB's page.
    if (!req.nibValid) return status(AP_RESPONSE_INVALID_ADDRESS, `NIB 0x${req.nib.toString(16)} is not a valid guest address (vfio_ap_validate_nib)`);
    // kvm_s390_gisc_register(kvm, isc) < 0 -> AP_RESPONSE_INVALID_GISA.
    if (req.isc > MAX_ISC) return status(AP_RESPONSE_INVALID_GISA, `kvm_s390_gisc_register(ISC ${req.isc}) failed`);
    const rc = c.k.machine.tapq(q).rc; // ap_aqic on the real queue answers with its status
    if (rc === AP_RESPONSE_NORMAL) (m.irqEnabled ??= new Set()).add(q);
    return status(rc, `ap_aqic enable, ISC ${req.isc}`, rc === AP_RESPONSE_NORMAL);
  }
  // vfio_ap_irq_disable: ap_aqic with IR clear, then unpin the NIB and unregister the GISC.
  const rc = c.k.machine.tapq(q).rc;
  m.irqEnabled?.delete(q);
  return status(rc, 'ap_aqic disable', false);
}
