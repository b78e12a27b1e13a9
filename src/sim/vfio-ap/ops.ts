/**
 * The mdev lifecycle and the device ops of vfio_ap (drivers/s390/crypto/vfio_ap_ops.c; reference
 * §2.3, §2.6-§2.8). Linux 4.20 (v11 11/26 + FIX1 + PULL2) everywhere, except at the era decision
 * points of src/sim/vfio-ap-decision-points.ts, where each later release's shape is modelled.
 */
import { apqn, formatApqn } from '../apqn';
import { OK, Outcome, fail, ok } from '../errno';
import type { KvmCryptoView } from '../decisions';
import { Machine } from '../firmware/machine';
import { AP_RESPONSE_NORMAL, formatRc } from '../firmware/response-codes';
import { kvmArchCryptoClearMasks, kvmArchCryptoSetMasks } from '../kvm/crypto';
import { pqapHookClear, pqapHookStore } from '../kvm/hooks';
import { KVM_S390_VM_CPU_FEAT_AP, Vm } from '../kvm/vm';
import { isDynamic, queueLinked } from './dynamic';
import { MatrixMdev, VfioApContext, vfioApMatrixInit } from './private';

/**
 * The mdev core plus vfio_ap_mdev_create: -EEXIST for a duplicate UUID; with no instance left
 * (decision point `vfio_ap.mdev_create_limit`) vfio_ap's own atomic_dec_if_positive gives -EPERM
 * (4.20-6.0), the mdev core's count -EUSERS (6.1+).
 */
export function vfioApMdevCreate(c: VfioApContext, name: string): Outcome<MatrixMdev> {
  const dev = c.matrixDev;
  // Without the module there is no vfio_ap-passthrough type, so no `create` file to write.
  if (!dev) return fail('mdev_device_create', 'ENOENT', 'the vfio_ap module is not loaded: there is no vfio_ap-passthrough mdev type');
  if (dev.mdevList.some((m) => m.name === name) || c.core.groups.has(name)) {
    return c.k.refuse('vfio', 'mdev_device_create', `${name}: UUID already exists`, 'EEXIST', `a mediated device "${name}" already exists`);
  }
  if (dev.availableInstances - 1 < 0) {
    const limit = c.k.shape('vfio_ap.mdev_create_limit', 'vfio-ap', 'vfio_ap_mdev_create', `${name}: no available instances`);
    if (limit === 'eusers')
      return c.k.refuse('vfio', 'mdev_device_create', `${name}: mdev_type available instances 0`, 'EUSERS', 'no mediated device instances are available (the mdev core counts them)');
    // atomic_dec_if_positive(&matrix_dev->available_instances) < 0 -> -EPERM
    return c.k.refuse('vfio-ap', 'vfio_ap_mdev_create', `${name}: no available instances`, 'EPERM', 'no mediated device instances are available');
  }
  dev.availableInstances--;
  const m = new MatrixMdev(c, name, vfioApMatrixInit(dev.info));
  dev.mdevList.unshift(m); // list_add
  c.core.addGroup(name, m);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_create', `${name}: apm_max ${m.matrix.apmMax}, aqm_max ${m.matrix.aqmMax}, adm_max ${m.matrix.admMax}`, '0');
  return ok(m);
}

/** list_del + kfree + the mdev core's device removal: the mdev is gone, its instance is free again. */
function unlinkAndFree(c: VfioApContext, m: MatrixMdev, fn: string): void {
  const dev = c.matrixDev!;
  const i = dev.mdevList.indexOf(m);
  if (i >= 0) dev.mdevList.splice(i, 1);
  dev.availableInstances++;
  const group = c.core.groups.get(m.name);
  if (!group?.deviceOpen) c.core.removeGroup(m.name);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: unlinked from mdev_list and freed`, '0');
  if (group?.deviceOpen)
    // The mdev core's device_unregister -> vfio_del_group_dev then waits for the fd (E1-E3): vfio_ap
    // has freed matrix_mdev already, so the close that ends the wait runs the release callback on a
    // freed object [code-read]. apspec completes the write and keeps the group until the close.
    if (c.k.trace.recording) c.k.trace.call('vfio', 'vfio_del_group_dev', `${m.name}: device fd still open`, 'waits for the close; matrix_mdev is already freed');
}

/**
 * vfio_ap_mdev_remove, by decision point `vfio_ap.mdev_remove`:
 * - ebusy (4.20): -EBUSY while matrix_mdev->kvm is set; otherwise unlink and free, no queue reset.
 *   Reference §5.7 (open question): when the mdev core stopped honouring the callback's error is
 *   not pinned down; apspec follows the reference's reading that 4.20's mdev_device_remove returns
 *   it to the `remove` writer. An mdev whose kvm is NULL while its fd is open (opened without a KVM,
 *   a refused second mdev, its group removed from the KVM) is unlinked and freed (reference §2.3 E1).
 * - ebusy-reset (5.3-5.12): the same, plus vfio_ap_mdev_reset_queues before freeing.
 * - unset-and-free (5.13, RMFX): no refusal; unset the KVM (masks cleared, queues reset), free.
 * - wait-for-close (5.19+): vfio_unregister_group_dev first waits until the device fd is closed.
 *   A synchronous simulator cannot block the writer: apspec answers the write with a refusal that
 *   says so, marks the removal pending, and completes it when the VMM closes the device (after
 *   close_device has unset the KVM), as the woken writer would.
 * `force` is the module exit path (the mdev core force-removes every mdev): no checks.
 */
export function vfioApMdevRemove(c: VfioApContext, m: MatrixMdev, force = false): Outcome {
  const fn = 'vfio_ap_mdev_remove';
  if (force) {
    unlinkAndFree(c, m, fn);
    return OK;
  }
  const shape = c.k.shape('vfio_ap.mdev_remove', 'vfio-ap', fn, m.kvm && c.k.trace.recording ? `${m.name}: in use by ${m.kvm.name}` : m.name);
  const group = c.core.groups.get(m.name);
  switch (shape) {
    case 'ebusy':
    case 'ebusy-reset':
      if (m.kvm) return c.k.refuse('vfio-ap', fn, `${m.name}: in use by ${m.kvm.name}`, 'EBUSY', `${m.name} is in use by guest ${m.kvm.name}`);
      if (shape === 'ebusy-reset') vfioApMdevResetQueues(c, m);
      unlinkAndFree(c, m, fn);
      return OK;
    case 'unset-and-free':
      if (m.kvm) vfioApMdevUnsetKvm(c, m, fn);
      else vfioApMdevResetQueues(c, m);
      unlinkAndFree(c, m, fn);
      return OK;
    case 'wait-for-close':
      if (group?.deviceOpen) {
        m.removePending = true;
        if (c.k.trace.recording) c.k.trace.call('vfio', 'vfio_unregister_group_dev', `${m.name}: device fd still open`, 'the remove write waits for the close');
        return fail(
          'vfio_unregister_group_dev',
          undefined,
          `removing ${m.name} waits until the VMM closes its device fd (vfio_unregister_group_dev); the removal completes at the close`,
        );
      }
      vfioApMdevResetQueues(c, m);
      unlinkAndFree(c, m, fn);
      return OK;
  }
}

/**
 * What a decision at open may read about the KVM. A class, so `hasFacility` is a prototype method:
 * a closure per open (named by the loader on every creation) cost more than the decision itself.
 */
class KvmCryptoSnapshot implements KvmCryptoView {
  readonly name: string;
  readonly crycbd: number;
  readonly hasCrycb: boolean;
  readonly apie: boolean;
  readonly cpuFeatAp: boolean;
  /** Not an own enumerable property: a policy function that prints its context sees only the facts. */
  readonly #vm: Vm;
  constructor(vm: Vm) {
    this.#vm = vm;
    this.name = vm.name;
    this.crycbd = vm.crypto.crycbd;
    this.hasCrycb = vm.crypto.crycb !== null;
    this.apie = vm.crypto.apie;
    this.cpuFeatAp = vm.cpuFeat.has(KVM_S390_VM_CPU_FEAT_AP);
  }
  hasFacility(nr: number): boolean {
    return this.#vm.facList.has(nr);
  }
}

export function kvmCryptoView(vm: Vm): KvmCryptoView {
  return new KvmCryptoSnapshot(vm);
}

/** The masks the guest gets: the whole matrix (static) or the filtered shadow APCB (dynamic, 6.0+). */
function pushMasks(c: VfioApContext, m: MatrixMdev, vm: Vm, fn: string): void {
  if (isDynamic(c, fn, m)) kvmArchCryptoSetMasks(c.k, vm, m.shadow.apm, m.shadow.aqm, m.shadow.adm);
  else kvmArchCryptoSetMasks(c.k, vm, m.matrix.apm, m.matrix.aqm, m.matrix.adm);
}

/** The open-time check on the KVM (decision point `vfio_ap.open.validate`; 4.20: crycbd != 0). */
function validate(c: VfioApContext, m: MatrixMdev, vm: Vm, fn: string) {
  return c.k.decide(
    'vfio_ap.open.validate',
    { apInstructionsAvailable: c.k.machine.apInstructionsAvailable(), kvm: kvmCryptoView(vm) },
    'vfio-ap',
    fn,
    c.k.trace.recording ? `${m.name} on ${vm.name}` : '',
  );
}

/** Whether this release's vfio_ap offers KVM a pqap_hook (5.3+). */
function hasPqapHook(c: VfioApContext, fn: string, m: MatrixMdev): boolean {
  return c.k.shape('vfio_ap.pqap_hook', 'vfio-ap', fn, m.name) === 'handle_pqap';
}

/** Another mdev on matrix_dev->mdev_list whose kvm is this VM (a loop, not a closure per call). */
function listOwnerOf(c: VfioApContext, m: MatrixMdev, vm: Vm): MatrixMdev | undefined {
  for (const o of c.matrixDev!.mdevList) if (o !== m && o.kvm === vm) return o;
  return undefined;
}

/** vfio_ap_mdev_set_kvm's -EPERM: the KVM already has a mediated device. */
function setKvmEperm(c: VfioApContext, m: MatrixMdev, vm: Vm, owner: string): Outcome {
  return c.k.refuse('vfio-ap', 'vfio_ap_mdev_set_kvm', `${m.name}: ${vm.name} already has mediated device ${owner}`, 'EPERM', `guest ${vm.name} already has mediated device ${owner}: one mediated device per KVM`);
}

/**
 * vfio_ap_mdev_set_kvm, by decision point `vfio_ap.set_kvm`. Returns the -EPERM of the single-owner
 * check (E1-E3 swallow it in the notifier, E4+ return it from open):
 * - owner-check-first (4.20-5.14): -EPERM if another mdev has this KVM; set kvm (5.3+: kvm_get_kvm and
 *   the pqap_hook); then the open-time check (a rejection leaves matrix_mdev->kvm set and writes no
 *   masks, as v10 did); then the masks.
 * - hook-before-owner-check (~5.15-6.x): nothing at all unless kvm->arch.crypto.crycbd != 0; the hook
 *   is stored under pqap_hook_rwsem before the owner check, so a refused second mdev leaves its own
 *   hook in the KVM (torvalds/linux 034921cdea1c, vfio_ap_mdev_set_kvm [code-read]).
 * - owner-via-pqap-hook (newest): crycbd gate, then -EPERM if kvm->arch.crypto.pqap_hook is already
 *   set, before anything changes (gregkh/linux 02e72909453d).
 */
export function vfioApMdevSetKvm(c: VfioApContext, m: MatrixMdev, vm: Vm): Outcome {
  const fn = 'vfio_ap_mdev_set_kvm';
  const shape = c.k.shape('vfio_ap.set_kvm', 'vfio-ap', fn, c.k.trace.recording ? `${m.name} on ${vm.name}` : '');
  const listOwner = listOwnerOf(c, m, vm);
  if (shape === 'owner-check-first') {
    if (listOwner) return setKvmEperm(c, m, vm, listOwner.name);
    m.kvm = vm;
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: kvm = ${vm.name}`, '0');
    if (hasPqapHook(c, fn, m)) pqapHookStore(c.k, vm, m, fn);
    if (!validate(c, m, vm, fn).ok) {
      if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: no masks written, matrix_mdev->kvm stays ${vm.name}`, '0');
      return OK;
    }
    pushMasks(c, m, vm, fn);
    return OK;
  }
  // ~5.15+: `if (kvm->arch.crypto.crycbd) { ... } return 0;`
  if (!validate(c, m, vm, fn).ok) {
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: crycbd is 0, nothing set`, '0');
    return OK;
  }
  const hook = hasPqapHook(c, fn, m);
  if (shape === 'hook-before-owner-check') {
    if (hook) pqapHookStore(c.k, vm, m, fn);
    if (listOwner) return setKvmEperm(c, m, vm, listOwner.name);
  } else {
    const owner = vm.crypto.pqapHook?.pqapOwner ?? listOwner?.name;
    if (owner !== undefined && owner !== m.name) return setKvmEperm(c, m, vm, owner);
    if (hook) pqapHookStore(c.k, vm, m, fn);
  }
  m.kvm = vm;
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: kvm_get_kvm, kvm = ${vm.name}`, '0');
  pushMasks(c, m, vm, fn);
  return OK;
}

/**
 * vfio_ap_mdev_unset_kvm (5.3+ release, ~5.11 NULL notification, 5.13 remove, E4+ close_device):
 * clear the CRYCB masks, pqap_hook = NULL, reset the queues (freeing their AQIC state), kvm_put_kvm,
 * kvm = NULL.
 */
export function vfioApMdevUnsetKvm(c: VfioApContext, m: MatrixMdev, fn: string): void {
  const vm = m.kvm;
  if (!vm) return;
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_unset_kvm', `${m.name} (called from ${fn})`, `kvm ${vm.name}`);
  if (!kvmArchCryptoClearMasks(c.k, vm)) return;
  if (hasPqapHook(c, 'vfio_ap_mdev_unset_kvm', m)) pqapHookClear(c.k, vm, 'vfio_ap_mdev_unset_kvm');
  vfioApMdevResetQueues(c, m);
  m.irqEnabled = null;
  m.kvm = null;
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_unset_kvm', `${m.name}: kvm_put_kvm`, 'kvm = NULL');
}

/**
 * vfio_ap_mdev_group_notifier, VFIO_GROUP_NOTIFY_SET_KVM (E1-E3). With a KVM: set_kvm (its -EPERM ->
 * NOTIFY_DONE). With NULL (decision point `vfio_ap.null_kvm`): 4.20 only sets matrix_mdev->kvm =
 * NULL and the masks stay; from ~5.11 vfio_ap_mdev_unset_kvm. The vfio core ignores the result.
 */
export function vfioApMdevGroupNotifier(c: VfioApContext, m: MatrixMdev, vm: Vm | null): void {
  const fn = 'vfio_ap_mdev_group_notifier';
  if (!vm) {
    const shape = c.k.shape('vfio_ap.null_kvm', 'vfio-ap', fn, c.k.trace.recording ? `${m.name}: SET_KVM NULL` : '');
    if (shape === 'unset-kvm') {
      vfioApMdevUnsetKvm(c, m, fn);
      return;
    }
    m.kvm = null;
    if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: SET_KVM NULL`, 'kvm = NULL, masks left in the CRYCB');
    return;
  }
  const r = vfioApMdevSetKvm(c, m, vm);
  if (!r.ok) c.k.trace.call('vfio-ap', fn, `${m.name}: set_kvm failed`, 'NOTIFY_DONE (ignored by the vfio core)');
}

/**
 * Opening the device fd, by decision point `vfio_ap.open_device`. A second open of the same group is
 * refused by vfio_group_fops_open with -EBUSY.
 * - group-notifier (4.20 vfio_ap_mdev_open; ~5.15-5.18 open_device): try_module_get, register the
 *   SET_KVM notifier (the vfio core replays the group's KVM); returns 0 whatever the notifier did.
 * - vdev-kvm (5.19+ vfio_ap_mdev_open_device): the vfio core copies group->kvm to vdev->kvm; NULL ->
 *   -EINVAL; set_kvm's -EPERM is returned; on failure the fd is not created and the module
 *   reference is dropped again.
 */
export function vfioApMdevOpen(c: VfioApContext, m: MatrixMdev): Outcome {
  const group = c.core.groups.get(m.name)!;
  if (group.deviceOpen) {
    return c.k.refuse('vfio', 'vfio_group_fops_open', `group ${m.name}: already open`, 'EBUSY', `the VFIO group of ${m.name} is already open`);
  }
  const shape = c.k.shape('vfio_ap.open_device', 'vfio-ap', 'vfio_ap_mdev_open_device', m.name);
  if (shape === 'group-notifier') {
    c.refcount++;
    group.deviceOpen = true;
    m.notifierRegistered = true;
    c.k.trace.call('vfio-ap', 'vfio_ap_mdev_open', m.name, 'try_module_get, register notifier');
    c.core.registerNotifier(group, (vm) => vfioApMdevGroupNotifier(c, m, vm));
    return OK;
  }
  const fn = 'vfio_ap_mdev_open_device';
  const vm = group.kvm;
  if (!vm)
    return c.k.refuse('vfio-ap', fn, `${m.name}: vdev->kvm is NULL`, 'EINVAL', `${m.name} was opened without a KVM: add its VFIO group to the guest's KVM-VFIO device first (open_device takes the KVM from vdev->kvm)`);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', fn, `${m.name}: vdev->kvm = ${vm.name}`, '');
  const r = vfioApMdevSetKvm(c, m, vm);
  if (!r.ok) return r;
  c.refcount++;
  group.deviceOpen = true;
  return OK;
}

/**
 * vfio_ap_mdev_reset_queue (4.20): ZAPQ; on RESET_IN_PROGRESS or BUSY sleep 20 ms and retry (retry =
 * 1, so at most two ZAPQs), then -EBUSY; any other response code -EIO.
 */
export function vfioApMdevResetQueue(c: VfioApContext, apid: number, apqi: number, retry: number): 'EBUSY' | 'EIO' | 0 {
  const q = apqn(apid, apqi);
  for (;;) {
    const status = c.k.machine.zapq(q);
    if (c.k.trace.recording) c.k.trace.call('firmware', 'ap_zapq', formatApqn(q), `rc ${formatRc(status.rc)}`);
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
  // E5+ resets the queues linked in matrix_mdev->qtable (bound to vfio_ap), not every APQN.
  const linkedOnly = isDynamic(c, 'vfio_ap_mdev_reset_queues', m);
  let n = 0;
  for (const a of apids)
    for (const q of apqis) {
      if (linkedOnly && !queueLinked(c, m, apqn(a, q))) continue;
      n++;
      const r = vfioApMdevResetQueue(c, a, q, 1);
      if (r) rc = r;
    }
  m.irqEnabled = null;
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_reset_queues', `${m.name}: ${n} queues`, rc ? `-${rc}` : '0');
  return rc ? fail('vfio_ap_mdev_reset_queues', rc, rc === 'EBUSY' ? 'a queue was still busy after one 20 ms retry' : 'a queue answered ZAPQ with an error') : OK;
}

/**
 * Closing the device fd. 4.20 vfio_ap_mdev_release: clear the CRYCB masks if a KVM is attached, reset
 * every queue of the matrix (whether or not a KVM was attached; result ignored), unregister the
 * notifier, kvm = NULL, module_put. From the 5.3 series (decision point `vfio_ap.pqap_hook` =
 * handle_pqap marks that shape) release and, from 5.19, close_device call vfio_ap_mdev_unset_kvm,
 * which resets the queues only when a KVM was attached. A removal waiting for this close
 * (`vfio_ap.mdev_remove` = wait-for-close) completes afterwards.
 */
export function vfioApMdevRelease(c: VfioApContext, m: MatrixMdev): void {
  const group = c.core.groups.get(m.name)!;
  const e2 = hasPqapHook(c, 'vfio_ap_mdev_release', m);
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', e2 && !m.notifierRegistered ? 'vfio_ap_mdev_close_device' : 'vfio_ap_mdev_release', `${m.name}${m.kvm ? ` (kvm ${m.kvm.name})` : ''}`, '');
  if (e2) {
    vfioApMdevUnsetKvm(c, m, 'vfio_ap_mdev_release');
    if (c.k.crashed) return;
  } else {
    if (m.kvm && !kvmArchCryptoClearMasks(c.k, m.kvm)) return;
    vfioApMdevResetQueues(c, m);
  }
  if (m.notifierRegistered) c.core.unregisterNotifier(group);
  m.notifierRegistered = false;
  m.kvm = null;
  group.deviceOpen = false;
  c.refcount--;
  const listed = c.matrixDev?.mdevList.includes(m) ?? false;
  if (!listed) {
    // Removed while open (E1-E3): the waiting remove writer finishes now.
    c.core.removeGroup(m.name);
    if (c.k.trace.recording) c.k.trace.call('vfio', 'vfio_del_group_dev', `${m.name}: device fd closed`, 'the remove write returns');
  } else if (m.removePending) {
    m.removePending = false;
    if (c.k.trace.recording) c.k.trace.call('vfio', 'vfio_unregister_group_dev', `${m.name}: device fd closed`, 'the remove write continues');
    vfioApMdevResetQueues(c, m);
    unlinkAndFree(c, m, 'vfio_ap_mdev_remove');
  }
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
  if (c.k.trace.recording) c.k.trace.call('vfio-ap', 'vfio_ap_mdev_ioctl', `${m.name}: VFIO_DEVICE_RESET`, '');
  return vfioApMdevResetQueues(c, m);
}

/**
 * vfio_ap_mdev_ioctl's default case: any command other than VFIO_DEVICE_GET_INFO and
 * VFIO_DEVICE_RESET (E6 also the IRQ ioctls) returns -EOPNOTSUPP (reference §2.8; every era).
 */
export function vfioApMdevUnknownIoctl(c: VfioApContext, m: MatrixMdev): Outcome {
  return c.k.refuse('vfio-ap', 'vfio_ap_mdev_ioctl', `${m.name}: unknown command`, 'EOPNOTSUPP', `vfio_ap knows only VFIO_DEVICE_GET_INFO and VFIO_DEVICE_RESET (and, newest, the IRQ ioctls): any other ioctl is -EOPNOTSUPP`);
}
