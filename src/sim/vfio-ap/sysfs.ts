/**
 * The mdev's sysfs attributes (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20; reference §2.4, §2.5):
 * assign_/unassign_ adapter, domain and control_domain, and the read-only `matrix` and
 * `control_domains`. Each store keeps the kernel's check order, temporary state included.
 */
import type { Bitmap256 } from '../bitmap';
import { Apqn, apidOf, apqiOf, apqn, formatApqn } from '../apqn';
import { OK, Outcome } from '../errno';
import { isDynamic, queueLinked, vfioApMdevFilterCdoms, vfioApMdevRefresh, vfioApMdevUpdateGuestApcb } from './dynamic';
import { kstrtoul } from './kstrtoul';
import { vfioApMdevResetQueue } from './ops';
import { MatrixMdev, VFIO_AP_DRV_NAME, VfioApContext } from './private';

/** The mdev's writable assignment attributes (the `*_store` functions of vfio_ap_ops.c). */
export const MATRIX_ATTRS = [
  'assign_adapter',
  'unassign_adapter',
  'assign_domain',
  'unassign_domain',
  'assign_control_domain',
  'unassign_control_domain',
] as const;
export type MatrixAttr = (typeof MATRIX_ATTRS)[number];

const hex2 = (id: number) => `0x${id.toString(16).padStart(2, '0')}`;

/** The first checks every store shares: -EBUSY while a KVM is attached (before parsing), then kstrtoul. */
function busyThenParse(c: VfioApContext, m: MatrixMdev, fn: string, text: string): Outcome<number> {
  // 4.20 checks matrix_mdev->kvm before taking matrix_dev->lock and before parsing.
  if (m.kvm) {
    return c.k.refuse('vfio-ap', fn, `${m.name}: in use by ${m.kvm.name}`, 'EBUSY', `${m.name} is in use by guest ${m.kvm.name}: its matrix cannot change while a KVM is attached`);
  }
  const parsed = kstrtoul(text);
  if (!parsed.ok) {
    return c.k.refuse('vfio-ap', fn, `${m.name}: kstrtoul("${text}")`, parsed.errno, `"${text}" is not a number kstrtoul(buf, 0) accepts (decimal, 0x hex or 0 octal)${parsed.errno === 'ERANGE' ? ': it overflows an unsigned long' : ''}`);
  }
  // Values that fit an unsigned long but not a JS number are certainly above every *_max.
  return { ok: true, value: parsed.value > 0xffffn ? 0x10000 : Number(parsed.value) };
}

function rangeCheck(c: VfioApContext, m: MatrixMdev, fn: string, id: number, max: number, what: string): Outcome {
  if (id > max) {
    return c.k.refuse('vfio-ap', fn, `${m.name}: ${what} ${id} > ${max}`, 'ENODEV', `${what} ${id} is above the highest ${what} this host addresses (${max})`);
  }
  return OK;
}

/** vfio_ap_has_queue via driver_for_each_device on the vfio_ap driver. */
function boundToVfioAp(c: VfioApContext, apid: number, apqi: number): boolean {
  return c.apBus.boundTo(apqn(apid, apqi), VFIO_AP_DRV_NAME);
}

/** Some queue bound to vfio_ap has this id on that axis (no predicate closure per store). */
function anyBound(c: VfioApContext, axis: 'apid' | 'apqi', id: number): boolean {
  for (const dev of c.apBus.queues.values())
    if (dev.driver?.name === VFIO_AP_DRV_NAME && (axis === 'apid' ? apidOf(dev.apqn) === id : apqiOf(dev.apqn) === id)) return true;
  return false;
}

/**
 * vfio_ap_mdev_verify_queues_reserved_for_apid / _apqi: with nothing assigned on the other axis, some
 * queue with this id must be bound to vfio_ap; otherwise every APQN it forms with the assigned ids of
 * the other axis must be (-EADDRNOTAVAIL).
 */
function verifyReserved(c: VfioApContext, m: MatrixMdev, axis: 'apid' | 'apqi', id: number): Outcome {
  const fn = axis === 'apid' ? 'vfio_ap_mdev_verify_queues_reserved_for_apid' : 'vfio_ap_mdev_verify_queues_reserved_for_apqi';
  const others = axis === 'apid' ? m.matrix.aqm.ids(m.matrix.aqmMax) : m.matrix.apm.ids(m.matrix.apmMax);
  let missing: string | undefined;
  if (others.length === 0) {
    const found = anyBound(c, axis, id);
    if (!found) missing = axis === 'apid' ? `${hex2(id)}.*` : `*.${id.toString(16).padStart(4, '0')}`;
  } else {
    for (const o of others) {
      const apid = axis === 'apid' ? id : o;
      const apqi = axis === 'apid' ? o : id;
      if (!boundToVfioAp(c, apid, apqi)) {
        missing = formatApqn(apqn(apid, apqi));
        break;
      }
    }
  }
  if (missing) {
    return c.k.refuse('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)}: queue ${missing} not bound to vfio_ap`, 'EADDRNOTAVAIL', `queue ${missing} is not bound to the vfio_ap driver (reserve it for pass-through: remove it from apmask/aqmask, with vfio_ap loaded)`);
  }
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)}`, '0');
  return OK;
}

/**
 * vfio_ap_mdev_verify_no_sharing: -EADDRINUSE if, for another mdev, both the APM and the AQM
 * intersections are non-empty (an APQN would be in two mdevs). Control domains are not checked.
 * Reference §5.6: the documentation says sharing conflicts give EBUSY; apspec follows the code.
 */
function verifyNoSharing(c: VfioApContext, m: MatrixMdev): Outcome {
  const fn = 'vfio_ap_mdev_verify_no_sharing';
  for (const other of c.matrixDev!.mdevList) {
    if (other === m) continue;
    if (!m.matrix.apm.intersects(other.matrix.apm)) continue;
    if (!m.matrix.aqm.intersects(other.matrix.aqm)) continue;
    const apids = m.matrix.apm.and(other.matrix.apm).ids();
    const apqis = m.matrix.aqm.and(other.matrix.aqm).ids();
    const shared = formatApqn(apqn(apids[0]!, apqis[0]!));
    return c.k.refuse('vfio-ap', fn, `${m.name} and ${other.name} would share APQN ${shared}`, 'EADDRINUSE', `APQN ${shared} is already assigned to mediated device ${other.name}`);
  }
  c.k.trace.call('vfio-ap', fn, m.name, '0');
  return OK;
}

function assignUsage(c: VfioApContext, m: MatrixMdev, axis: 'apid' | 'apqi', text: string): Outcome {
  const fn = axis === 'apid' ? 'assign_adapter_store' : 'assign_domain_store';
  const parsed = busyThenParse(c, m, fn, text);
  if (!parsed.ok) return parsed;
  const id = parsed.value;
  const mask: Bitmap256 = axis === 'apid' ? m.matrix.apm : m.matrix.aqm;
  const range = rangeCheck(c, m, fn, id, axis === 'apid' ? m.matrix.apmMax : m.matrix.aqmMax, axis === 'apid' ? 'adapter' : 'domain');
  if (!range.ok) return range;
  const reserved = verifyReserved(c, m, axis, id);
  if (!reserved.ok) return reserved;
  // The bit is set before the sharing check and cleared again if it fails (share_err).
  const wasSet = mask.test(id);
  mask.set(id);
  const sharing = verifyNoSharing(c, m);
  if (!sharing.ok) {
    // clear_bit_inv runs even if the bit had been assigned before this write.
    mask.clear(id);
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)} cleared again${wasSet ? ' (it had been assigned before)' : ''}`, '-EADDRINUSE');
    return sharing;
  }
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)}`, 'count');
  return OK;
}

function unassign(c: VfioApContext, m: MatrixMdev, which: 'apm' | 'aqm' | 'adm', fn: string, what: string, text: string): Outcome {
  const parsed = busyThenParse(c, m, fn, text);
  if (!parsed.ok) return parsed;
  const max = which === 'apm' ? m.matrix.apmMax : which === 'aqm' ? m.matrix.aqmMax : m.matrix.admMax;
  const range = rangeCheck(c, m, fn, parsed.value, max, what);
  if (!range.ok) return range;
  // Cleared whether or not it was set; no queue reset in 4.20.
  m.matrix[which].clear(parsed.value);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${what} ${hex2(parsed.value)}`, 'count');
  return OK;
}

/** assign_control_domain_store: EBUSY, parse, > adm_max -ENODEV, set. No reservation or sharing check. */
function assignControlDomain(c: VfioApContext, m: MatrixMdev, text: string): Outcome {
  const fn = 'assign_control_domain_store';
  const parsed = busyThenParse(c, m, fn, text);
  if (!parsed.ok) return parsed;
  const range = rangeCheck(c, m, fn, parsed.value, m.matrix.admMax, 'control domain');
  if (!range.ok) return range;
  m.matrix.adm.set(parsed.value);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: control domain ${hex2(parsed.value)}`, 'count');
  return OK;
}

/** kstrtoul then the range check, the first steps of every E5 store (no EBUSY while a guest runs). */
function parseInRange(c: VfioApContext, m: MatrixMdev, fn: string, text: string, max: number, what: string): Outcome<number> {
  const parsed = kstrtoul(text);
  if (!parsed.ok)
    return c.k.refuse('vfio-ap', fn, `${m.name}: kstrtoul("${text}")`, parsed.errno, `"${text}" is not a number kstrtoul(buf, 0) accepts (decimal, 0x hex or 0 octal)${parsed.errno === 'ERANGE' ? ': it overflows an unsigned long' : ''}`);
  const id = parsed.value > 0xffffn ? 0x10000 : Number(parsed.value);
  const range = rangeCheck(c, m, fn, id, max, what);
  return range.ok ? { ok: true, value: id } : range;
}

/**
 * vfio_ap_mdev_validate_masks (E5): -EADDRNOTAVAIL if any APQN of the whole apm x aqm is in the
 * default drivers' pool (ap_apqn_in_matrix_owned_by_def_drv: apmask x aqmask), whether or not a queue
 * exists; else the sharing check (-EADDRINUSE).
 */
function validateMasks(c: VfioApContext, m: MatrixMdev): Outcome {
  const fn = 'vfio_ap_mdev_validate_masks';
  const apqis = m.matrix.aqm.ids(m.matrix.aqmMax);
  for (const a of m.matrix.apm.ids(m.matrix.apmMax))
    for (const d of apqis) {
      const q = apqn(a, d);
      if (c.apBus.ownedByDefaultDriver(q))
        return c.k.refuse('vfio-ap', fn, `${m.name}: APQN ${formatApqn(q)} is in apmask x aqmask`, 'EADDRNOTAVAIL', `APQN ${formatApqn(q)} belongs to the host's default drivers (apmask/aqmask): reserve it for pass-through first`);
    }
  return verifyNoSharing(c, m);
}

/**
 * E5 assign_adapter_store / assign_domain_store (6.0, OPS6): parse, range, an id already assigned is
 * a no-op, set the bit, vfio_ap_mdev_validate_masks (the bit cleared again on error), link the new
 * queues, vfio_ap_mdev_filter_matrix, and push a changed shadow APCB to a running guest (hot plug).
 * No EBUSY while the guest runs; the APQNs need not exist (over-provisioning, filtered).
 */
function assignUsageDynamic(c: VfioApContext, m: MatrixMdev, axis: 'apid' | 'apqi', text: string): Outcome {
  const fn = axis === 'apid' ? 'assign_adapter_store' : 'assign_domain_store';
  const mask = axis === 'apid' ? m.matrix.apm : m.matrix.aqm;
  const parsed = parseInRange(c, m, fn, text, axis === 'apid' ? m.matrix.apmMax : m.matrix.aqmMax, axis === 'apid' ? 'adapter' : 'domain');
  if (!parsed.ok) return parsed;
  const id = parsed.value;
  if (mask.test(id)) {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)} already assigned`, 'count (no-op)');
    return OK;
  }
  mask.set(id);
  const valid = validateMasks(c, m);
  if (!valid.ok) {
    mask.clear(id);
    return valid;
  }
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${axis} ${hex2(id)}`, 'count');
  vfioApMdevRefresh(c, m);
  return OK;
}

/**
 * E5 unassign_adapter_store / unassign_domain_store: parse, range, an id not assigned is a no-op;
 * clear the bit; hot unplug: clear the id from the shadow APCB, push it, and ZAPQ the queues that
 * were unlinked and had been in the guest.
 */
function unassignUsageDynamic(c: VfioApContext, m: MatrixMdev, axis: 'apid' | 'apqi', text: string): Outcome {
  const fn = axis === 'apid' ? 'unassign_adapter_store' : 'unassign_domain_store';
  const what = axis === 'apid' ? 'adapter' : 'domain';
  const mask = axis === 'apid' ? m.matrix.apm : m.matrix.aqm;
  const parsed = parseInRange(c, m, fn, text, axis === 'apid' ? m.matrix.apmMax : m.matrix.aqmMax, what);
  if (!parsed.ok) return parsed;
  const id = parsed.value;
  if (!mask.test(id)) {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${what} ${hex2(id)} not assigned`, 'count (no-op)');
    return OK;
  }
  const shadowMask = axis === 'apid' ? m.shadow.apm : m.shadow.aqm;
  const inGuest = shadowMask.test(id);
  // The queues vfio_ap_mdev_unlink_adapter/_domain unlinks, and which of them the guest had.
  const unlinked: Apqn[] = [];
  const others = axis === 'apid' ? m.matrix.aqm.ids(m.matrix.aqmMax) : m.matrix.apm.ids(m.matrix.apmMax);
  for (const o of others) {
    const q = axis === 'apid' ? apqn(id, o) : apqn(o, id);
    if (queueLinked(c, m, q) && inGuest && (axis === 'apid' ? m.shadow.aqm.test(o) : m.shadow.apm.test(o))) unlinked.push(q);
  }
  mask.clear(id);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: ${what} ${hex2(id)}`, 'count');
  if (inGuest) {
    shadowMask.clear(id);
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', axis === 'apid' ? 'vfio_ap_mdev_hot_unplug_adapter' : 'vfio_ap_mdev_hot_unplug_domain', `${m.name}: ${what} ${hex2(id)}`, 'cleared from the shadow APCB');
    vfioApMdevUpdateGuestApcb(c, m);
    for (const q of unlinked) {
      vfioApMdevResetQueue(c, q >> 8, q & 0xff, 1);
      m.irqEnabled?.delete(q);
    }
  }
  return OK;
}

/** E5 assign_/unassign_control_domain_store: no-op when unchanged; shadow adm re-filtered or cleared and pushed. */
function controlDomainDynamic(c: VfioApContext, m: MatrixMdev, assign: boolean, text: string): Outcome {
  const fn = assign ? 'assign_control_domain_store' : 'unassign_control_domain_store';
  const parsed = parseInRange(c, m, fn, text, m.matrix.admMax, 'control domain');
  if (!parsed.ok) return parsed;
  const id = parsed.value;
  if (m.matrix.adm.test(id) === assign) {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: control domain ${hex2(id)} already ${assign ? 'assigned' : 'unassigned'}`, 'count (no-op)');
    return OK;
  }
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: control domain ${hex2(id)}`, 'count');
  if (assign) {
    m.matrix.adm.set(id);
    if (vfioApMdevFilterCdoms(c, m)) vfioApMdevUpdateGuestApcb(c, m);
  } else {
    m.matrix.adm.clear(id);
    const was = m.shadow.adm.test(id);
    m.shadow.adm.clear(id);
    if (was) vfioApMdevUpdateGuestApcb(c, m);
  }
  return OK;
}

/**
 * A write to one of the mdev's assignment attributes, by decision point `vfio_ap.matrix`: the static
 * stores of 4.20-5.19 or the dynamic ones of 6.0+.
 */
export function matrixStore(c: VfioApContext, m: MatrixMdev, attr: MatrixAttr, text: string): Outcome {
  if (isDynamic(c, `${attr}_store`, m)) {
    switch (attr) {
      case 'assign_adapter':
        return assignUsageDynamic(c, m, 'apid', text);
      case 'assign_domain':
        return assignUsageDynamic(c, m, 'apqi', text);
      case 'unassign_adapter':
        return unassignUsageDynamic(c, m, 'apid', text);
      case 'unassign_domain':
        return unassignUsageDynamic(c, m, 'apqi', text);
      case 'assign_control_domain':
        return controlDomainDynamic(c, m, true, text);
      case 'unassign_control_domain':
        return controlDomainDynamic(c, m, false, text);
    }
  }
  switch (attr) {
    case 'assign_adapter':
      return assignUsage(c, m, 'apid', text);
    case 'assign_domain':
      return assignUsage(c, m, 'apqi', text);
    case 'assign_control_domain':
      return assignControlDomain(c, m, text);
    case 'unassign_adapter':
      return unassign(c, m, 'apm', 'unassign_adapter_store', 'adapter', text);
    case 'unassign_domain':
      return unassign(c, m, 'aqm', 'unassign_domain_store', 'domain', text);
    case 'unassign_control_domain':
      return unassign(c, m, 'adm', 'unassign_control_domain_store', 'control domain', text);
  }
}

/**
 * matrix_show: one "%02lx.%04lx" line per APQN in APID-major order when both masks are set; "%02lx."
 * lines with only adapters; ".%04lx" lines with only domains; nothing otherwise. Bits above
 * apm_max/aqm_max are not shown.
 */
export function matrixShow(m: MatrixMdev): string {
  return formatMatrix(m.matrix.apm.ids(m.matrix.apmMax), m.matrix.aqm.ids(m.matrix.aqmMax));
}

function formatMatrix(apids: readonly number[], apqis: readonly number[]): string {
  let out = '';
  if (apids.length && apqis.length) {
    for (const a of apids) for (const q of apqis) out += `${formatApqn(apqn(a, q))}\n`;
  } else if (apids.length) {
    for (const a of apids) out += `${a.toString(16).padStart(2, '0')}.\n`;
  } else if (apqis.length) {
    for (const q of apqis) out += `.${q.toString(16).padStart(4, '0')}\n`;
  }
  return out;
}

/**
 * guest_matrix_show (6.0+): the shadow APCB in matrix_show's format, whether or not a guest is
 * attached. Before 6.0 the attribute does not exist: -ENOENT, with the release that added it.
 */
export function guestMatrixShow(c: VfioApContext, m: MatrixMdev): Outcome<string> {
  if (!isDynamic(c, 'guest_matrix_show', m))
    return c.k.refuse('vfio-ap', 'guest_matrix_show', `${m.name}: no guest_matrix attribute`, 'ENOENT', `this kernel has no guest_matrix attribute: it was added with dynamic configuration in linux-6.0`);
  return { ok: true, value: formatMatrix(m.shadow.apm.ids(m.matrix.apmMax), m.shadow.aqm.ids(m.matrix.aqmMax)) };
}

/** control_domains_show: one "%04lx" line per ADM bit up to adm_max. */
export function controlDomainsShow(m: MatrixMdev): string {
  return m.matrix.adm
    .ids(m.matrix.admMax)
    .map((d) => `${d.toString(16).padStart(4, '0')}\n`)
    .join('');
}
