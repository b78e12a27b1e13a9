/**
 * Userspace VMM processes and the single KVM/VFIO calls they make. A *minimal VMM* creates a VM with
 * no CPU model and one vcpu and does nothing on its own: every other call is explicit. QEMU
 * (qemu.ts) makes the same calls in its own order.
 */
import { OK, Outcome, Refusal, fail, ok } from '../errno';
import type { Kernel } from '../kernel';
import type { CryptoAttrName, KvmModule } from '../kvm/kvm';
import type { Vm } from '../kvm/vm';
import type { VfioApModule } from '../vfio-ap/drv';
import {
  VFIO_DEVICE_INFO_MINSZ,
  vfioApMdevGetDeviceInfo,
  vfioApMdevOpen,
  vfioApMdevRelease,
  vfioApMdevReset,
  vfioApMdevUnknownIoctl,
} from '../vfio-ap/ops';
import type { MatrixMdev } from '../vfio-ap/private';
import type { CpuFeature } from './cpu-model';

export interface VmmProcess {
  readonly guest: string;
  readonly kind: 'qemu' | 'minimal';
  readonly vm: Vm;
  /** QEMU's resolved CPU model; undefined for a minimal VMM (no model set). */
  readonly cpuModel?: ReadonlySet<CpuFeature>;
  /** QEMU created ap-bridge + ap-bus (only when the model has `ap`). */
  apBridge: boolean;
  /** The mdev of QEMU's vfio-ap device (ap-bus max_dev = 1). */
  vfioApDevice: string | null;
  /** mdevs whose device fd this process holds. */
  readonly openDevices: Set<string>;
}

/** What userspace code reaches: the kernel's ioctls through these modules. */
export interface Userspace {
  readonly k: Kernel;
  readonly kvm: KvmModule;
  readonly vfioAp: VfioApModule;
  readonly processes: Map<string, VmmProcess>;
}

/** The mdev a sysfs path names (/sys/bus/mdev/devices/<uuid>): vfio_ap's list decides. */
export function findMdev(u: Userspace, name: string): MatrixMdev | undefined {
  return u.vfioAp.findMdev(name);
}

/**
 * The process holding an mdev's device fd: which VMM opened it is userspace's knowledge (the vfio
 * core only knows that the group's device is open), so it stays here.
 */
export function holderOf(u: Userspace, mdev: string): VmmProcess | undefined {
  for (const p of u.processes.values()) if (p.openDevices.has(mdev)) return p;
  return undefined;
}

/**
 * The task that made a system call in which the kernel oopsed does not return to userspace: its
 * caller (QEMU, the VMM) stops there. Every compound userspace action checks this after each call.
 */
export function hostCrashed(u: Userspace): Outcome<never> | undefined {
  const oops = u.k.crashed;
  return oops ? fail(oops.fn, undefined, `the host kernel crashed in ${oops.fn}`) : undefined;
}

/** A minimal VMM: KVM_CREATE_VM (no CPU model), then one KVM_CREATE_VCPU. */
export function minimalVmmCreate(u: Userspace, guest: string): Outcome<VmmProcess> {
  if (u.processes.has(guest)) return fail('vmm', undefined, `a guest "${guest}" is already running`);
  if (u.k.trace.recording) u.k.trace.call('vmm', 'minimal VMM', `${guest}: KVM_CREATE_VM, one vcpu, no CPU model`, '');
  const vm = u.kvm.createVm(guest);
  u.kvm.createVcpu(vm);
  const p: VmmProcess = { guest, kind: 'minimal', vm, apBridge: false, vfioApDevice: null, openDevices: new Set() };
  u.processes.set(guest, p);
  return ok(p);
}

/** KVM_SET_DEVICE_ATTR, group KVM_S390_VM_CRYPTO, by name or attribute number. */
export function vmmSetCryptoAttr(u: Userspace, p: VmmProcess, attr: CryptoAttrName | number): Outcome {
  return u.kvm.setCryptoAttr(p.vm, attr);
}

/** KVM_HAS_DEVICE_ATTR, group KVM_S390_VM_CRYPTO, on the VM fd. */
export function vmmHasCryptoAttr(u: Userspace, p: VmmProcess, attr: CryptoAttrName | number): Outcome {
  return u.kvm.hasCryptoAttr(p.vm, attr);
}

/** KVM_S390_VM_CPU_PROCESSOR_FEAT with feature AP. */
export function vmmEnableCpuFeatAp(u: Userspace, p: VmmProcess): Outcome {
  return u.kvm.enableCpuFeatAp(p.vm);
}

/**
 * Open an mdev for a guest: add its VFIO group to the VM's KVM-VFIO device (so group->kvm is set),
 * then VFIO_GROUP_GET_DEVICE_FD, which calls vfio_ap_mdev_open. The order (group first) is QEMU's
 * (reference §5.8): SET_KVM then replays when open registers the notifier.
 */
export function vmmOpenMdev(u: Userspace, p: VmmProcess, m: MatrixMdev): Outcome {
  // vfio_group_fops_open allows one opener of /dev/vfio/<group>, and KVM_DEV_VFIO_GROUP_ADD takes that
  // group fd: while another VMM holds the group, this one never reaches the KVM-VFIO add (which would
  // re-notify SET_KVM and move matrix_mdev->kvm to its VM). vfioApMdevOpen reports the -EBUSY.
  if (u.vfioAp.core.groups.get(m.name)?.deviceOpen) return vfioApMdevOpen(u.vfioAp, m);
  if (!p.vm.vfioGroups.has(m.name)) u.kvm.vfioGroupAdd(p.vm, m.name);
  const r = vfioApMdevOpen(u.vfioAp, m);
  if (r.ok) p.openDevices.add(m.name);
  return hostCrashed(u) ?? r;
}

/** close() of the device fd: the vfio core calls vfio_ap_mdev_release. */
export function vmmCloseMdev(u: Userspace, p: VmmProcess, m: MatrixMdev): Outcome {
  if (!p.openDevices.has(m.name)) return fail('close', 'EINVAL', `${p.guest} does not hold ${m.name} open`);
  vfioApMdevRelease(u.vfioAp, m);
  p.openDevices.delete(m.name);
  return hostCrashed(u) ?? OK;
}

/**
 * The device fd of an mdev, for a system call on it: the process that holds it open, or -EBADF when
 * no VMM does (the call has no fd to go through).
 */
function heldFd(u: Userspace, m: MatrixMdev, call: string): VmmProcess | Refusal {
  const holder = holderOf(u, m.name);
  return holder ?? fail(call, 'EBADF', `no VMM holds ${m.name} open`);
}

/** close() of an mdev's device fd by whichever VMM holds it (-EBADF: none does). */
export function vmmCloseHeldMdev(u: Userspace, m: MatrixMdev): Outcome {
  const holder = heldFd(u, m, 'close');
  return 'ok' in holder ? holder : vmmCloseMdev(u, holder, m);
}

/** VFIO_DEVICE_RESET through the fd a VMM holds (-EBADF: none does). */
export function vmmResetHeldMdev(u: Userspace, m: MatrixMdev): Outcome {
  const holder = heldFd(u, m, 'ioctl');
  return 'ok' in holder ? holder : vmmResetMdev(u, m);
}

/** VFIO_DEVICE_GET_INFO through the fd a VMM holds (-EBADF: none does). */
export function vmmGetHeldDeviceInfo(u: Userspace, m: MatrixMdev, argsz?: number): Outcome<string> {
  const holder = heldFd(u, m, 'ioctl');
  return 'ok' in holder ? holder : vmmGetDeviceInfo(u, m, argsz);
}

/** VFIO_DEVICE_RESET on an open device. */
export function vmmResetMdev(u: Userspace, m: MatrixMdev): Outcome {
  return vfioApMdevReset(u.vfioAp, m);
}

export function vmmGetDeviceInfo(u: Userspace, m: MatrixMdev, argsz = VFIO_DEVICE_INFO_MINSZ): Outcome<string> {
  return vfioApMdevGetDeviceInfo(u.vfioAp, m, argsz);
}

/**
 * An AP instruction intercept that KVM 4.20 sent to userspace. QEMU's handle_b2 has no case for
 * PQAP/NQAP/DQAP, so handle_instruction injects PGM_OPERATION (QEMUSRC kvm.c). apspec's minimal VMM
 * does the same (a VMM that ignored the exit would leave the vcpu looping on the instruction).
 */
export function vmmHandleApIntercept(u: Userspace, p: VmmProcess, insn: string): 'operation' {
  if (u.k.trace.recording) u.k.trace.call(p.kind === 'qemu' ? 'qemu' : 'vmm', 'handle_instruction', `${p.guest}: unhandled ${insn}`, 'inject PGM_OPERATION');
  return 'operation';
}

/** The process exits: every device fd is closed (release), then the VM's last fd (destroy). */
export function vmmExit(u: Userspace, p: VmmProcess): Outcome {
  for (const name of [...p.openDevices]) {
    const m = openDeviceOf(u, name) ?? findMdev(u, name);
    if (m) vfioApMdevRelease(u.vfioAp, m);
    p.openDevices.delete(name);
    const crashed = hostCrashed(u);
    if (crashed) return crashed;
  }
  u.kvm.destroyVm(p.vm);
  u.processes.delete(p.guest);
  if (u.k.trace.recording) u.k.trace.call(p.kind === 'qemu' ? 'qemu' : 'vmm', 'exit', `${p.guest} shut down`, '0');
  return OK;
}

/**
 * The mdev whose device fd is open, even after vfio_ap unlinked it from mdev_list (a removal of an
 * mdev whose kvm was NULL while its fd was open, E1-E3): the vfio core still holds the device.
 */
export function openDeviceOf(u: Userspace, name: string): MatrixMdev | undefined {
  const g = u.vfioAp.core.groups.get(name);
  return g?.deviceOpen ? g.device : undefined;
}

/**
 * VFIO_GROUP_GET_DEVICE_FD without KVM_DEV_VFIO_GROUP_ADD first: the scenario's VMM (its only VMM
 * process) opens the device while the group has no KVM. E1-E3 open returns 0 and the mdev has no
 * KVM; from 5.19 open_device finds vdev->kvm NULL and returns -EINVAL.
 */
export function vmmOpenMdevWithoutKvm(u: Userspace, m: MatrixMdev): Outcome {
  const vmms = [...u.processes.values()];
  if (vmms.length !== 1)
    return fail(
      'vmm',
      undefined,
      vmms.length === 0
        ? `no VMM runs to open ${m.name}: start one first, e.g. 'Given a guest "g1" started by a minimal VMM'`
        : `${vmms.length} VMMs run (${vmms.map((p) => p.guest).join(', ')}): "the VMM" is ambiguous; open ${m.name} with 'the VMM opens mediated device "${m.name}" for "<guest>"' instead`,
    );
  const p = vmms[0]!;
  const group = u.vfioAp.core.groups.get(m.name);
  if (group?.kvm)
    return fail('vmm', undefined, `the VFIO group of ${m.name} was already added to the KVM of ${group.kvm.name}: it cannot be opened "without a KVM"`);
  if (u.k.trace.recording) u.k.trace.call(p.kind === 'qemu' ? 'qemu' : 'vmm', 'VFIO_GROUP_GET_DEVICE_FD', `${p.guest}: ${m.name}, group not added to a KVM-VFIO device`, '');
  const r = vfioApMdevOpen(u.vfioAp, m);
  if (r.ok) p.openDevices.add(m.name);
  return hostCrashed(u) ?? r;
}

/**
 * KVM_DEV_VFIO_GROUP_DEL on the guest's KVM-VFIO device: kvm_vfio_group_del (-ENOENT for a group
 * never added), then vfio_group_set_kvm(group, NULL): E1-E3 notify vfio_ap (SET_KVM NULL); from 5.19
 * no notifier exists and an open device keeps its KVM until it is closed.
 */
export function vmmRemoveVfioGroup(u: Userspace, p: VmmProcess, m: MatrixMdev): Outcome {
  if (!p.vm.vfioGroups.has(m.name))
    return u.k.refuse('kvm', 'kvm_vfio_group_del', `${p.vm.name}: group ${m.name} not attached`, 'ENOENT', `the VFIO group of ${m.name} was never added to the KVM of ${p.guest}`);
  u.kvm.vfioGroupDel(p.vm, m.name);
  return hostCrashed(u) ?? OK;
}

/** An ioctl vfio_ap does not know, on the fd a VMM holds (-EBADF: none does; else -EOPNOTSUPP). */
export function vmmUnknownIoctl(u: Userspace, m: MatrixMdev): Outcome {
  const holder = heldFd(u, m, 'ioctl');
  return 'ok' in holder ? holder : vfioApMdevUnknownIoctl(u.vfioAp, m);
}
