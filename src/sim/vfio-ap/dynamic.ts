/**
 * Dynamic configuration of a guest's AP resources (Linux 6.0, decision point `vfio_ap.matrix` =
 * dynamic; reference §2.4 E5, §2.5, §2.14, drivers/s390/crypto/vfio_ap_ops.c OPS6): the shadow APCB,
 * its filtering, pushing it to a running guest, and the AP bus's `in_use` question.
 *
 * A queue is "linked" to an mdev (in matrix_mdev->qtable) when its APQN is in the mdev's matrix and
 * its queue device is bound to vfio_ap: apspec derives that from the matrix and the bus instead of
 * keeping one vfio_ap_queue object per queue.
 */
import type { Bitmap256 } from '../bitmap';
import { Apqn, apqn, formatApqn } from '../apqn';
import { OK, Outcome } from '../errno';
import { kvmArchCryptoSetMasks } from '../kvm/crypto';
import { MatrixMdev, VFIO_AP_DRV_NAME, VfioApContext } from './private';

/** Whether this release configures guests dynamically (6.0+). Records the decision. */
export function isDynamic(c: VfioApContext, fn: string, m: MatrixMdev | string): boolean {
  return c.k.shape('vfio_ap.matrix', 'vfio-ap', fn, typeof m === 'string' ? m : m.name) === 'dynamic';
}

/** vfio_ap_mdev_get_queue(matrix_mdev, apqn) != NULL: assigned to the mdev and bound to vfio_ap. */
export function queueLinked(c: VfioApContext, m: MatrixMdev, q: Apqn): boolean {
  return m.matrix.apm.test(q >> 8) && m.matrix.aqm.test(q & 0xff) && c.apBus.boundTo(q, VFIO_AP_DRV_NAME);
}

/**
 * vfio_ap_mdev_filter_matrix (6.0): ap_qci(&matrix_dev->info) (a failure leaves the shadow as it
 * is); shadow apm/aqm = the matrix's ANDed with the host's QCI apm/aqm; then every APID with an APQN
 * whose queue is not bound to vfio_ap is cleared (single APQNs cannot be filtered, so the whole
 * adapter goes). The loop runs over the shadow's ids, as fixed by "Fixes: 48cae940c31d" (Cc stable):
 * as released, 6.0 looped over the matrix, so an assigned domain outside the host configuration
 * filtered every adapter. Returns whether the shadow apm/aqm changed.
 */
export function vfioApMdevFilterMatrix(c: VfioApContext, m: MatrixMdev): boolean {
  const info = c.k.machine.qci();
  if (!info) return false;
  const s = m.shadow;
  const prevApm = s.apm.key();
  const prevAqm = s.aqm.key();
  andInto(s.apm, m.matrix.apm, info.apm, m.matrix.apmMax);
  andInto(s.aqm, m.matrix.aqm, info.aqm, m.matrix.aqmMax);
  const apqis = s.aqm.ids();
  const filtered: number[] = [];
  for (const apid of s.apm.ids())
    for (const apqi of apqis)
      if (!c.apBus.boundTo(apqn(apid, apqi), VFIO_AP_DRV_NAME)) {
        s.apm.clear(apid);
        filtered.push(apid);
        break;
      }
  const changed = s.apm.key() !== prevApm || s.aqm.key() !== prevAqm;
  if (c.k.trace.recording)
    c.k.trace.call(
      'vfio-ap',
      'vfio_ap_mdev_filter_matrix',
      `${m.name}${filtered.length ? `: adapters ${filtered.map(hex2).join(',')} filtered (a queue not bound to vfio_ap)` : ''}`,
      changed ? 'shadow APCB changed' : 'shadow APCB unchanged',
    );
  return changed;
}

/** vfio_ap_mdev_filter_cdoms: shadow adm = matrix adm AND the host's QCI adm. */
export function vfioApMdevFilterCdoms(c: VfioApContext, m: MatrixMdev): boolean {
  const info = c.k.machine.qci();
  if (!info) return false;
  const prev = m.shadow.adm.key();
  andInto(m.shadow.adm, m.matrix.adm, info.adm, m.matrix.admMax);
  return m.shadow.adm.key() !== prev;
}

/** vfio_ap_mdev_update_guest_apcb: push the shadow APCB to the guest, if a KVM is attached (hot plug/unplug). */
export function vfioApMdevUpdateGuestApcb(c: VfioApContext, m: MatrixMdev): void {
  if (!m.kvm) return;
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_update_guest_apcb', `${m.name} -> ${m.kvm.name}`, 'kvm_arch_crypto_set_masks(shadow_apcb)');
  kvmArchCryptoSetMasks(c.k, m.kvm, m.shadow.apm, m.shadow.aqm, m.shadow.adm);
}

/** Re-filter the shadow APCB and push it to the guest if it changed (assign, probe, config change). */
export function vfioApMdevRefresh(c: VfioApContext, m: MatrixMdev): void {
  const matrixChanged = vfioApMdevFilterMatrix(c, m);
  const cdomsChanged = vfioApMdevFilterCdoms(c, m);
  if (matrixChanged || cdomsChanged) vfioApMdevUpdateGuestApcb(c, m);
}

/**
 * vfio_ap_mdev_resource_in_use (6.0), the AP bus's `in_use` callback: -EADDRINUSE if an APQN of
 * apm x aqm is assigned to any mdev, whether or not a guest uses it (reference §1.2). The kernel log
 * names each conflicting APQN and its mdev; apspec's trace names the first.
 */
export function vfioApMdevResourceInUse(c: VfioApContext, apm: Bitmap256, aqm: Bitmap256): Outcome {
  const fn = 'vfio_ap_mdev_resource_in_use';
  for (const m of c.matrixDev?.mdevList ?? []) {
    if (!apm.intersects(m.matrix.apm) || !aqm.intersects(m.matrix.aqm)) continue;
    const shared = formatApqn(apqn(apm.and(m.matrix.apm).ids()[0]!, aqm.and(m.matrix.aqm).ids()[0]!));
    return c.k.refuse('vfio-ap', fn, `APQN ${shared} is assigned to ${m.name}`, 'EADDRINUSE', `APQN ${shared} is assigned to mediated device ${m.name}`);
  }
  c.k.trace.call('vfio-ap', fn, 'no assigned APQN', '0');
  return OK;
}

/** The mdev an APQN is assigned to (at most one: sharing is refused). */
export function mdevOfApqn(c: VfioApContext, q: Apqn): MatrixMdev | undefined {
  // A loop, not find(): the AP bus asks this for every queue it probes.
  const list = c.matrixDev?.mdevList;
  if (list) for (const m of list) if (m.matrix.apm.test(q >> 8) && m.matrix.aqm.test(q & 0xff)) return m;
  return undefined;
}

/**
 * vfio_ap_mdev_probe_queue (6.0): a queue bound to vfio_ap whose APQN is assigned to an mdev is
 * linked and the mdev re-filtered; a changed shadow APCB is pushed (hot plug).
 */
export function vfioApMdevProbeQueue(c: VfioApContext, q: Apqn): void {
  const m = mdevOfApqn(c, q);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_probe_queue', `queue ${formatApqn(q)}`, m ? `linked to ${m.name}` : 'not assigned');
  if (m) vfioApMdevRefresh(c, m);
}

/**
 * vfio_ap_mdev_remove_queue (6.0): if the queue is linked and in the guest's shadow APCB, clear its
 * APID from the shadow and push it (the whole adapter leaves the guest) before the queue is reset.
 * Returns the mdev the queue was linked to.
 */
export function vfioApMdevUnplugQueue(c: VfioApContext, q: Apqn): MatrixMdev | undefined {
  const m = mdevOfApqn(c, q);
  if (!m) return undefined;
  const apid = q >> 8;
  if (m.shadow.apm.test(apid) && m.shadow.aqm.test(q & 0xff)) {
    m.shadow.apm.clear(apid);
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_remove_queue', `queue ${formatApqn(q)} of ${m.name}`, `adapter ${hex2(apid)} unplugged from the shadow APCB`);
    vfioApMdevUpdateGuestApcb(c, m);
  }
  return m;
}

/**
 * vfio_ap_on_cfg_changed -> vfio_ap_mdev_hot_unplug_cfg (6.0, DRV6/OPS6; reference §2.14): the
 * adapters, domains and control domains that left the host's QCI configuration are removed from the
 * mdev's shadow APCB, which is pushed to the guest if it changed. This runs before ap_scan_bus
 * removes the queue devices, so a domain that left the configuration no longer takes its adapters
 * with it in vfio_ap_mdev_remove_queue.
 */
export function vfioApMdevHotUnplugCfg(c: VfioApContext, m: MatrixMdev): void {
  const info = c.k.machine.qci();
  if (!info) return;
  let changed = false;
  for (const [shadow, cfg] of [
    [m.shadow.apm, info.apm],
    [m.shadow.aqm, info.aqm],
    [m.shadow.adm, info.adm],
  ] as const)
    for (const id of shadow.ids())
      if (!cfg.test(id)) {
        shadow.clear(id);
        changed = true;
      }
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_hot_unplug_cfg', m.name, changed ? 'removed ids that left the host configuration' : 'nothing left the configuration');
  if (changed) vfioApMdevUpdateGuestApcb(c, m);
}

/** dst = (a AND b), ids above max dropped (vfio_ap_matrix_init limits). */
function andInto(dst: Bitmap256, a: Bitmap256, b: Bitmap256, max: number): void {
  // A word at a time: the ids of a up to max (a.upTo(max)), ANDed with b, without an array of ids.
  for (let w = 0; w < 8; w++) {
    const n = max - w * 32 + 1; // ids of this word kept, from its most significant bit
    const keep = n >= 32 ? 0xffffffff : n <= 0 ? 0 : ~(0xffffffff >>> n);
    dst.words[w] = a.words[w]! & b.words[w]! & keep;
  }
}

function hex2(id: number): string {
  return `0x${id.toString(16).padStart(2, '0')}`;
}
