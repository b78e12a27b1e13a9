/**
 * The mdev lifecycle and the device ops of vfio_ap (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20:
 * v11 11/26 + FIX1 + PULL2; reference §2.3, §2.6-§2.8).
 */
import { apqn, formatApqn } from '../apqn';
import { OK, Outcome, fail, ok } from '../errno';
import type { KvmCryptoView } from '../decisions';
import { Machine } from '../firmware/machine';
import { AP_RESPONSE_NORMAL, formatRc } from '../firmware/response-codes';
import { kvmArchCryptoClearMasks, kvmArchCryptoSetMasks } from '../kvm/crypto';
import { KVM_S390_VM_CPU_FEAT_AP, Vm } from '../kvm/vm';
import { MatrixMdev, VfioApContext, vfioApMatrixInit } from './private';

/** The mdev core plus vfio_ap_mdev_create: -EEXIST for a duplicate UUID, -EPERM when no instance is left. */
export function vfioApMdevCreate(c: VfioApContext, name: string): Outcome<MatrixMdev> {
  const dev = c.matrixDev!;
  if (dev.mdevList.some((m) => m.name === name)) {
    return c.k.refuse('vfio', 'mdev_device_create', `${name}: UUID already exists`, 'EEXIST', `a mediated device "${name}" already exists`);
  }
  // atomic_dec_if_positive(&matrix_dev->available_instances) < 0 -> -EPERM
  if (dev.availableInstances - 1 < 0) {
    return c.k.refuse('vfio-ap', 'vfio_ap_mdev_create', `${name}: no available instances`, 'EPERM', 'no mediated device instances are available');
  }
  dev.availableInstances--;
  const m: MatrixMdev = { name, matrix: vfioApMatrixInit(dev.info), kvm: null, notifierRegistered: false };
  dev.mdevList.unshift(m); // list_add
  c.core.addGroup(name);
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_create', `${name}: apm_max ${m.matrix.apmMax}, aqm_max ${m.matrix.aqmMax}, adm_max ${m.matrix.admMax}`, '0');
  return ok(m);
}

/**
 * vfio_ap_mdev_remove (4.20): -EBUSY while matrix_mdev->kvm is set; otherwise unlink and free,
 * without resetting queues. Reference §5.7 (open question): when the mdev core stopped honouring
 * the callback's error is not pinned down; apspec follows the reference's reading that 4.20's
 * mdev_device_remove returns it to the `remove` writer.
 */
export function vfioApMdevRemove(c: VfioApContext, m: MatrixMdev, force = false): Outcome {
  const dev = c.matrixDev!;
  if (m.kvm && !force) {
    return c.k.refuse('vfio-ap', 'vfio_ap_mdev_remove', `${m.name}: in use by ${m.kvm.name}`, 'EBUSY', `${m.name} is in use by guest ${m.kvm.name}`);
  }
  const group = c.core.groups.get(m.name);
  if (group?.deviceOpen && !force) {
    // After vfio_ap_mdev_remove frees matrix_mdev, device_unregister -> vfio_del_group_dev waits
    // until userspace closes the device fd. apspec does not model a blocked writer.
    c.k.trace.call('vfio', 'vfio_del_group_dev', `${m.name}: device fd still open`, 'blocks until the VMM closes it');
    return fail('vfio_del_group_dev', undefined, `removing ${m.name} blocks until the VMM closes its device (apspec does not model the blocked write)`);
  }
  dev.mdevList.splice(dev.mdevList.indexOf(m), 1);
  dev.availableInstances++;
  c.core.removeGroup(m.name);
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_remove', m.name, '0');
  return OK;
}

/** What a decision at open may read about the KVM. */
export function kvmCryptoView(vm: Vm): KvmCryptoView {
  return {
    name: vm.name,
    crycbd: vm.crypto.crycbd,
    hasCrycb: vm.crypto.crycb !== null,
    apie: vm.crypto.apie,
    cpuFeatAp: vm.cpuFeat.has(KVM_S390_VM_CPU_FEAT_AP),
    hasFacility: (nr) => vm.facList.has(nr),
  };
}

/**
 * vfio_ap_mdev_set_kvm (4.20): under matrix_dev->lock, -EPERM if another mdev already has this KVM
 * (matrix_mdev->kvm is then not set); otherwise set it.
 */
function vfioApMdevSetKvm(c: VfioApContext, m: MatrixMdev, vm: Vm): boolean {
  const owner = c.matrixDev!.mdevList.find((o) => o !== m && o.kvm === vm);
  if (owner) {
    c.k.trace.call('vfio-ap', 'vfio_ap_mdev_set_kvm', `${m.name}: ${vm.name} already has mediated device ${owner.name}`, '-EPERM');
    return false;
  }
  m.kvm = vm;
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_set_kvm', `${m.name}: kvm = ${vm.name}`, '0');
  return true;
}

/**
 * vfio_ap_mdev_group_notifier, VFIO_GROUP_NOTIFY_SET_KVM. With NULL: matrix_mdev->kvm = NULL (the
 * masks stay; fixed ~5.11). With a KVM: set_kvm (EPERM -> NOTIFY_DONE), then the open-time
 * validation (decision point `vfio_ap.open.validate`; 4.20: crycbd != 0; a rejection leaves
 * matrix_mdev->kvm set and writes no masks, as v10 did), then kvm_arch_crypto_set_masks with the
 * whole, unfiltered mdev matrix. The vfio core ignores the return value.
 */
export function vfioApMdevGroupNotifier(c: VfioApContext, m: MatrixMdev, vm: Vm | null): void {
  const fn = 'vfio_ap_mdev_group_notifier';
  if (!vm) {
    m.kvm = null;
    c.k.trace.call('vfio-ap', fn, `${m.name}: SET_KVM NULL`, 'kvm = NULL, masks left in the CRYCB');
    return;
  }
  if (!vfioApMdevSetKvm(c, m, vm)) {
    c.k.trace.call('vfio-ap', fn, `${m.name}: set_kvm failed`, 'NOTIFY_DONE (ignored by the vfio core)');
    return;
  }
  const verdict = c.k.decide(
    'vfio_ap.open.validate',
    { apInstructionsAvailable: c.k.machine.apInstructionsAvailable(), kvm: kvmCryptoView(vm) },
    'vfio-ap',
    fn,
    `${m.name} on ${vm.name}`,
  );
  if (!verdict.ok) {
    c.k.trace.call('vfio-ap', fn, `${m.name}: no masks written, matrix_mdev->kvm stays ${vm.name}`, 'NOTIFY_DONE (ignored by the vfio core)');
    return;
  }
  kvmArchCryptoSetMasks(c.k, vm, m.matrix.apm, m.matrix.aqm, m.matrix.adm);
}

/**
 * vfio_ap_mdev_open (4.20): try_module_get, then register the SET_KVM notifier (which replays the
 * group's KVM). Returns 0 whatever the notifier did. A second open of the same group is refused by
 * vfio_group_fops_open with -EBUSY.
 */
export function vfioApMdevOpen(c: VfioApContext, m: MatrixMdev): Outcome {
  const group = c.core.groups.get(m.name)!;
  if (group.deviceOpen) {
    return c.k.refuse('vfio', 'vfio_group_fops_open', `group ${m.name}: already open`, 'EBUSY', `the VFIO group of ${m.name} is already open`);
  }
  c.refcount++;
  group.deviceOpen = true;
  m.notifierRegistered = true;
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_open', m.name, 'try_module_get, register notifier');
  c.core.registerNotifier(group, (vm) => vfioApMdevGroupNotifier(c, m, vm));
  return OK;
}

/**
 * vfio_ap_mdev_reset_queue (4.20): ZAPQ; on RESET_IN_PROGRESS or BUSY sleep 20 ms and retry (retry =
 * 1, so at most two ZAPQs), then -EBUSY; any other response code -EIO.
 */
function vfioApMdevResetQueue(c: VfioApContext, apid: number, apqi: number, retry: number): 'EBUSY' | 'EIO' | 0 {
  const q = apqn(apid, apqi);
  for (;;) {
    const status = c.k.machine.zapq(q);
    c.k.trace.call('firmware', 'ap_zapq', formatApqn(q), `rc ${formatRc(status.rc)}`);
    if (status.rc === AP_RESPONSE_NORMAL) return 0;
    if (!Machine.isTransient(status.rc)) return 'EIO';
    c.k.msleep(20);
    if (retry-- === 0) return 'EBUSY';
  }
}

/**
 * vfio_ap_mdev_reset_queues: reset every APQN of apm x aqm (up to apm_max/aqm_max), continuing past
 * failures; the last error is returned.
 */
export function vfioApMdevResetQueues(c: VfioApContext, m: MatrixMdev): Outcome {
  let rc: 'EBUSY' | 'EIO' | 0 = 0;
  const apids = m.matrix.apm.ids(m.matrix.apmMax);
  const apqis = m.matrix.aqm.ids(m.matrix.aqmMax);
  for (const a of apids)
    for (const q of apqis) {
      const r = vfioApMdevResetQueue(c, a, q, 1);
      if (r) rc = r;
    }
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_reset_queues', `${m.name}: ${apids.length * apqis.length} queues`, rc ? `-${rc}` : '0');
  return rc ? fail('vfio_ap_mdev_reset_queues', rc, rc === 'EBUSY' ? 'a queue was still busy after one 20 ms retry' : 'a queue answered ZAPQ with an error') : OK;
}

/**
 * vfio_ap_mdev_release (4.20): clear the CRYCB masks if a KVM is attached, reset every queue of the
 * matrix (whether or not a KVM was attached; result ignored), unregister the notifier, kvm = NULL,
 * module_put.
 */
export function vfioApMdevRelease(c: VfioApContext, m: MatrixMdev): void {
  const group = c.core.groups.get(m.name)!;
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_release', `${m.name}${m.kvm ? ` (kvm ${m.kvm.name})` : ''}`, '');
  if (m.kvm) {
    if (!kvmArchCryptoClearMasks(c.k, m.kvm)) return;
  }
  vfioApMdevResetQueues(c, m);
  c.core.unregisterNotifier(group);
  m.notifierRegistered = false;
  m.kvm = null;
  group.deviceOpen = false;
  c.refcount--;
}

/** VFIO_DEVICE_GET_INFO's minsz (offsetofend(struct vfio_device_info, num_irqs)). */
export const VFIO_DEVICE_INFO_MINSZ = 16;

/**
 * vfio_ap_mdev_get_device_info: argsz < minsz -> -EINVAL; flags AP | RESET, no regions, no irqs.
 */
export function vfioApMdevGetDeviceInfo(c: VfioApContext, m: MatrixMdev, argsz: number): Outcome<string> {
  if (argsz < VFIO_DEVICE_INFO_MINSZ) {
    return c.k.refuse('vfio-ap', 'vfio_ap_mdev_get_device_info', `${m.name}: argsz ${argsz} < ${VFIO_DEVICE_INFO_MINSZ}`, 'EINVAL', `argsz ${argsz} is smaller than struct vfio_device_info (${VFIO_DEVICE_INFO_MINSZ})`);
  }
  const info = 'flags AP|RESET, 0 regions, 0 irqs';
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_get_device_info', m.name, info);
  return ok(info);
}

/** VFIO_DEVICE_RESET: vfio_ap_mdev_reset_queues, its error returned. */
export function vfioApMdevReset(c: VfioApContext, m: MatrixMdev): Outcome {
  c.k.trace.call('vfio-ap', 'vfio_ap_mdev_ioctl', `${m.name}: VFIO_DEVICE_RESET`, '');
  return vfioApMdevResetQueues(c, m);
}
