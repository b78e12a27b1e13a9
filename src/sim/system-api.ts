/**
 * The simulator's interfaces: what one System offers (SystemApi and its parts) and the two errors it
 * throws. Outside code imports these through src/sim/api.ts, the front door; the layers never import
 * this file, and this file imports only types, so the System and its facades implement it without
 * an import loop.
 *
 * One `System` models one s390 host with its firmware, AP bus, KVM, the vfio_ap driver and the
 * userspace VMMs (QEMU or a minimal VMM) running guests. It is created per scenario by
 * `createSystem` (src/sim/system.ts). Every operation is synchronous, appends trace events naming
 * the kernel function it models, and returns an `Outcome` (kernel errnos as names) instead of
 * throwing. Only two things throw:
 *   - `MissingEntityError`: a step names a guest or mediated device the scenario never created;
 *   - `PolicyError`: the policy's own code is broken (src/sim/decisions.ts).
 */
import type { Outcome } from './errno';
import type { Policy } from './decisions';
import type { OopsEvent, TraceEvent } from './trace';
import type { Apqn } from './apqn';
import type { MaskKind } from './ap-bus/ap-bus';
import type { MatrixAttr } from './vfio-ap/sysfs';
import type { GuestInstruction, InstructionResult } from './firmware/ap-instructions';
import type { CryptoAttrName } from './kvm/kvm';
import type { CrycbMasks } from './kvm/crypto';

export type MatrixShowAttr = 'matrix' | 'control_domains';
/** A KVM_S390_VM_CRYPTO attribute as the uapi header names it without the prefix. */
export type CryptoAttr = CryptoAttrName;

/**
 * Whether a host description can exist under the run's policy (kernels.md, "Not applicable is a
 * verdict"): the simulator answers from the policy's options, the steps report it.
 */
export type Applicability = { readonly applicable: true } | { readonly applicable: false; readonly reason: string };

/** See SystemApi.hostKvm. */
export type HostKvm = 'linux-4.20' | 'pre-4.20';

export type EntityKind = 'host' | 'guest' | 'mediated device';

/** A step named something the scenario never set up. */
export class MissingEntityError extends Error {
  constructor(
    readonly kind: EntityKind,
    readonly entity: string,
  ) {
    super(kind === 'host' ? 'no host has been described yet' : `there is no ${kind} "${entity}"`);
    this.name = 'MissingEntityError';
  }
}

/** Thrown by guest-side reads after the host crashed: nothing runs after an oops. */
export class HostCrashedError extends Error {
  constructor(readonly oops: OopsEvent) {
    super(`the host kernel crashed earlier (oops in ${oops.fn}: ${oops.detail}); nothing runs after an oops`);
    this.name = 'HostCrashedError';
  }
}

/** Host firmware and host-kernel build facts a scenario describes (before or after boot). */
export interface HostControl {
  /** Remove the AP instructions (and with them the AP facilities 12, 15 and 65). */
  removeApInstructions(): void;
  /** Install or remove an STFLE facility (12 QCI, 15 APFT, 65 AQIC, 76 MSAX3). */
  setFacility(nr: number, installed: boolean): void;
  /** QCI's APXA bit (AP extended addressing). Without it Na = 63, Nd = 15. */
  setApxa(installed: boolean): void;
  /** Replace the configured adapters (type CEX6 unless set) and usage domains. */
  configure(adapters: readonly number[], domains: readonly number[]): void;
  setControlDomains(ids: readonly number[]): void;
  /** Adapter type: CEX4 = 10 ... CEX8 = 14. */
  /**
   * Adapter type: CEX4 = 10 ... CEX8 = 14. Only before the host boots (its first action): the AP
   * bus reads the type once, when it creates the queue devices. After boot it is refused, without an
   * errno, saying so.
   */
  setAdapterType(apid: number, type: number): Outcome;
  /** Adapter-interruption virtualization (the GISA facility; 5.3+ KVM gives vcpus ECA_AIV with it). */
  setAiv(installed: boolean): void;
  /** QCI's Na and Nd: the highest adapter and domain ids the host addresses (with APXA; 63/15 without). */
  setMaxIds(na: number, nd: number): void;
  /** The response code the real queue answers (0x00 normal, 0x02 reset in progress, 0x05 busy ...). */
  setQueueResponseCode(q: Apqn, rc: number): void;
  /** Pre-4.20 KVM: kvm_s390_crypto_init allocates a CRYCB only if the VM has facility 76. */
  setKvmCrycbOnlyWithMsax3(): Applicability;
}

export interface ApBusControl {
  /** `echo text > /sys/bus/ap/apmask` (apmask_store); EINVAL on malformed input. */
  storeMask(kind: MaskKind, text: string): Outcome;
  /** `cat /sys/bus/ap/apmask`: `0x` + 64 hex digits, MSB = id 0. */
  showMask(kind: MaskKind): string;
  /** Reserve ids for pass-through: remove them from apmask/aqmask (writes `-a,-b`). */
  reserveForPassThrough(kind: MaskKind, ids: readonly number[]): Outcome;
  /** The driver a host queue device is bound to, if the queue exists. */
  driverOf(q: Apqn): 'cex4queue' | 'vfio_ap' | 'none' | undefined;
}

export interface VfioApControl {
  /** `modprobe vfio_ap` (vfio_ap_init). */
  load(): Outcome;
  /**
   * `rmmod vfio_ap` (vfio_ap_exit). While an mdev is open the module's refcount is held and kmod's
   * rmmod refuses on its own ("Module vfio_ap is in use"): a refusal without a kernel errno.
   */
  unload(): Outcome;
  readonly loaded: boolean;
  /** Write a UUID to the mdev type's `create` (vfio_ap_mdev_create). */
  createMdev(name: string): Outcome;
  /** Write 1 to the mdev's `remove` (vfio_ap_mdev_remove). */
  removeMdev(name: string): Outcome;
  /** Write to an mdev's sysfs attribute (assign_adapter_store ...). */
  store(mdev: string, attr: MatrixAttr, text: string): Outcome;
  /** Read `matrix` or `control_domains`. */
  show(mdev: string, attr: MatrixShowAttr): string;
  /** Read `guest_matrix` (6.0+: the shadow APCB); -ENOENT naming linux-6.0 on a kernel without it. */
  guestMatrix(mdev: string): Outcome<string>;
  hasMdev(name: string): boolean;
}

/** QEMU as a user runs it: `-cpu ...`, `-device vfio-ap,sysfsdev=...`, device_add, quit. */
export interface QemuControl {
  /** Start a guest: create the VM, apply the CPU model, create vcpus, realize devices. */
  start(guest: string, opts?: { cpuModel?: string; mdev?: string }): Outcome;
  /** `device_add vfio-ap,sysfsdev=...`. */
  deviceAdd(guest: string, mdev: string): Outcome;
  /** `device_del` of the vfio-ap device. */
  deviceDel(guest: string, mdev: string): Outcome;
  /** `system_reset`: resets devices, so VFIO_DEVICE_RESET for a vfio-ap device. */
  systemReset(guest: string): Outcome;
  /** `quit`: close devices, destroy the VM. Also works for minimal-VMM guests. */
  shutdown(guest: string): Outcome;
}

/** A minimal VMM (or QEMU acting on its own): single KVM/VFIO calls, nothing implicit. */
export interface VmmControl {
  /** KVM_CREATE_VM with no CPU model, then one vcpu. */
  create(guest: string): Outcome;
  /** KVM_SET_DEVICE_ATTR group KVM_S390_VM_CRYPTO (kvm_s390_vm_set_crypto). */
  setCryptoAttr(guest: string, attr: CryptoAttr | number): Outcome;
  /** KVM_HAS_DEVICE_ATTR group KVM_S390_VM_CRYPTO (kvm_s390_vm_has_attr): 0 or -ENXIO. */
  hasCryptoAttr(guest: string, attr: CryptoAttr | number): Outcome;
  /** KVM_S390_VM_CPU_PROCESSOR_FEAT with KVM_S390_VM_CPU_FEAT_AP added. */
  enableCpuFeatAp(guest: string): Outcome;
  /** KVM-VFIO group add, then VFIO_GROUP_GET_DEVICE_FD (mdev open). */
  openMdev(mdev: string, guest: string): Outcome;
  /** close() of the device fd (mdev release). */
  closeMdev(mdev: string): Outcome;
  /** VFIO_DEVICE_RESET on an open mdev. */
  resetMdev(mdev: string): Outcome;
  /** VFIO_DEVICE_GET_INFO: flags, regions and irqs as text ("flags AP|RESET, 0 regions, 0 irqs"). */
  getDeviceInfo(mdev: string, argsz?: number): Outcome<string>;
  /** VFIO_GROUP_GET_DEVICE_FD by the scenario's only VMM, its VFIO group never added to a KVM. */
  openMdevWithoutKvm(mdev: string): Outcome;
  /** KVM_DEV_VFIO_GROUP_DEL: remove the mdev's VFIO group from the guest's KVM-VFIO device. */
  removeVfioGroup(mdev: string, guest: string): Outcome;
  /** An ioctl vfio_ap does not know, on the open device fd (-EOPNOTSUPP). */
  unknownIoctl(mdev: string): Outcome;
}

/** Read-only views of KVM and SIE state. */
export interface Inspect {
  /** The VM's CRYCB masks, or undefined when KVM allocated no CRYCB. */
  crycb(guest: string): CrycbMasks | undefined;
  /** True iff every vcpu of the guest has ECA.28 (ECA_APIE) set. */
  apInterpreted(guest: string): boolean;
  hasGuest(guest: string): boolean;
  /** The guest's facility list bit `nr`. */
  guestHasFacility(guest: string, nr: number): boolean;
}

/** What runs inside the guest: a Linux AP bus scan and single instructions. */
export interface GuestControl {
  /** The APQNs a Linux guest's AP bus finds (ap_scan_bus in the guest), sorted. */
  scan(guest: string): Apqn[];
  /**
   * One AP instruction on vcpu 0. PQAP(AQIC) enables interruptions (IR set) with a valid NIB; in
   * supervisor state unless `problemState`.
   */
  execute(guest: string, insn: GuestInstruction, q: Apqn, opts?: { readonly problemState?: boolean }): InstructionResult;
}

export interface SystemApi {
  readonly policy: Policy;
  readonly host: HostControl;
  readonly apBus: ApBusControl;
  readonly vfioAp: VfioApControl;
  readonly qemu: QemuControl;
  readonly vmm: VmmControl;
  readonly inspect: Inspect;
  readonly guest: GuestControl;
  /** Every event so far, in order. */
  readonly events: readonly TraceEvent[];
  /** The first host crash, if any; after it every operation is refused. */
  readonly oops: OopsEvent | undefined;
  /**
   * Which KVM the host runs: Linux 4.20's (a CRYCB for every VM) or the pre-4.20 one a scenario
   * asks for ("allocates a CRYCB only for guests with MSAX3"). Decision coverage tells them apart.
   */
  readonly hostKvm: HostKvm;
  /** How often each decision branch was taken: `point=option:branch` -> count. */
  readonly decisionsTaken: ReadonlyMap<string, number>;
}
