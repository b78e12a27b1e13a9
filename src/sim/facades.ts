/**
 * The SystemApi facades (src/sim/system-api.ts) over one simulated host. Each method resolves the
 * scenario's names ("g1", "m1"), boots the host on first use and refuses everything after an oops
 * (`SimHost.run`), then calls the one layer function that models the kernel or userspace action.
 * No kernel logic lives here: host configuration is the Machine's, the CRYCB view KVM's, "who holds
 * this fd" the VMM's, the mdev type's existence vfio_ap's.
 *
 * The facades see the host through `SimHost` (below), which System implements: this file imports
 * no System, so there is no import loop.
 */
import type { ApBus, MaskKind } from './ap-bus/ap-bus';
import type { Apqn } from './apqn';
import { OK, Outcome, type Refusal, fail } from './errno';
import { DEFAULT_PQAP_OPERANDS, type GuestInstruction, type InstructionResult } from './firmware/ap-instructions';
import type { Machine } from './firmware/machine';
import { guestApScan, guestExecute } from './guest/ap-scan';
import type { Kernel } from './kernel';
import { kvmApInterpreted, kvmCrycbMasks, type CrycbMasks } from './kvm/crypto';
import type { KvmModule } from './kvm/kvm';
import { qemuDeviceAdd, qemuDeviceDel, qemuShutdown, qemuStart, qemuSystemReset } from './qemu/qemu';
import {
  type Userspace,
  type VmmProcess,
  minimalVmmCreate,
  vmmCloseHeldMdev,
  vmmEnableCpuFeatAp,
  vmmGetHeldDeviceInfo,
  vmmHasCryptoAttr,
  vmmOpenMdev,
  vmmResetHeldMdev,
  vmmSetCryptoAttr,
  openDeviceOf,
  vmmOpenMdevWithoutKvm,
  vmmRemoveVfioGroup,
  vmmUnknownIoctl,
} from './qemu/vmm';
import {
  HostCrashedError,
  type ApBusControl,
  type Applicability,
  type CryptoAttr,
  type GuestControl,
  type HostControl,
  type Inspect,
  type MatrixShowAttr,
  type QemuControl,
  type VfioApControl,
  type VmmControl,
} from './system-api';
import type { VfioApModule } from './vfio-ap/drv';
import { vfioApMdevCreate, vfioApMdevRemove } from './vfio-ap/ops';
import type { MatrixMdev } from './vfio-ap/private';
import { controlDomainsShow, guestMatrixShow, matrixShow, matrixStore, type MatrixAttr } from './vfio-ap/sysfs';

/** What the facades need of the host: its layers and the three things System adds (boot, health, names). */
export interface SimHost {
  readonly machine: Machine;
  readonly k: Kernel;
  readonly bus: ApBus;
  readonly kvm: KvmModule;
  readonly vfio: VfioApModule;
  readonly userspace: Userspace;
  /** The host kernel has booted (its first action ran). */
  readonly booted: boolean;
  /** Boot the host kernel once (ap_module_init, the default zcrypt driver). */
  boot(): void;
  /** Boot first, then run a kernel operation; refuse everything after an oops. */
  run<T>(op: () => Outcome<T>): Outcome<T>;
  /**
   * What `run` does before the operation, without a closure per call: the refusal after an oops,
   * or undefined once the host has booted. `enter() ?? op(...)` is `run(() => op(...))`.
   */
  enter(): Refusal | undefined;
  /** A host description changed: rescan the AP bus after boot. */
  hostChanged(): void;
  /** The VMM process of a guest, or MissingEntityError. */
  process(guest: string): VmmProcess;
  /** The mdev of that name, or MissingEntityError. */
  mdev(name: string): MatrixMdev;
}

/** Drop an outcome's value: the facade reports success or refusal only. */
function done<T>(r: Outcome<T>): Outcome {
  return r.ok ? OK : r;
}

export class ApBusFacade implements ApBusControl {
  constructor(private readonly s: SimHost) {}
  storeMask(kind: MaskKind, text: string): Outcome {
    return this.s.enter() ?? this.s.bus.storeMask(kind, text);
  }
  showMask(kind: MaskKind): string {
    return (kind === 'apmask' ? this.s.bus.apm : this.s.bus.aqm).toHex();
  }
  /** "Reserved for pass-through" is what an administrator writes: `-a,-b` to apmask or aqmask. */
  reserveForPassThrough(kind: MaskKind, ids: readonly number[]): Outcome {
    return this.s.enter() ?? this.s.bus.storeMask(kind, ids.map((i) => `-${i}`).join(','));
  }
  driverOf(q: Apqn): 'cex4queue' | 'vfio_ap' | 'none' | undefined {
    this.s.boot();
    return this.s.bus.driverOf(q);
  }
}

export class HostFacade implements HostControl {
  constructor(private readonly s: SimHost) {}
  /** Trace what the scenario changed in the firmware, then let a booted host rescan. */
  private changed(fn: string, detail: string, outcome: string): void {
    this.s.k.trace.call('firmware', fn, detail, outcome);
    this.s.hostChanged();
  }
  removeApInstructions(): void {
    this.s.machine.removeApInstructions();
    this.changed('machine', 'no AP instructions (and so no facilities 12, 15, 65)', '');
  }
  setFacility(nr: number, installed: boolean): void {
    this.s.machine.setFacility(nr, installed);
    this.changed('stfle', `facility ${nr}`, installed ? 'installed' : 'not installed');
  }
  setApxa(installed: boolean): void {
    this.s.machine.apxa = installed;
    this.changed('qci', 'APXA', installed ? 'installed' : 'not installed (ids up to 63/15)');
  }
  configure(adapters: readonly number[], domains: readonly number[]): void {
    this.s.machine.configure(adapters, domains);
    this.changed('qci', `adapters ${adapters.join(',')} domains ${domains.join(',')}`, '');
  }
  setControlDomains(ids: readonly number[]): void {
    this.s.machine.setControlDomains(ids);
    this.changed('qci', `control domains ${ids.join(',')}`, '');
  }
  setAdapterType(apid: number, type: number): Outcome {
    // The AP bus learns a card's type from TAPQ when it creates the device (ap_scan_bus); a type that
    // changes under an existing device is not something a machine does.
    if (this.s.booted)
      return fail(
        'ap_scan_bus',
        undefined,
        `the host has already booted, so its AP bus created adapter ${apid}'s devices with the type it had then: state  Given adapter ${apid} has AP device type ${type}  (or  Given adapter ${apid} is a CEX<n>) before the scenario's first action, right after the host's configuration`,
      );
    this.s.machine.setAdapterType(apid, type);
    this.changed('tapq', `adapter ${apid} type ${type}`, '');
    return OK;
  }
  setAiv(installed: boolean): void {
    this.s.machine.aiv = installed;
    this.changed('sclp', 'adapter-interruption virtualization (GISA)', installed ? 'installed' : 'not installed');
  }
  setMaxIds(na: number, nd: number): void {
    this.s.machine.na = na;
    this.s.machine.nd = nd;
    this.changed('qci', `Na ${na} Nd ${nd}`, this.s.machine.apxa ? '' : 'no APXA: the limits stay 63/15');
  }
  setQueueResponseCode(q: Apqn, rc: number): void {
    this.s.machine.setQueueResponseCode(q, rc);
    if (this.s.k.trace.recording) this.s.k.trace.call('firmware', 'tapq', `queue ${q.toString(16)} answers`, `rc 0x${rc.toString(16).padStart(2, '0')}`);
  }
  setKvmCrycbOnlyWithMsax3(): Applicability {
    const fit = this.s.kvm.preRefactorCryptoInitFits();
    if (!fit.applicable) return fit;
    this.s.kvm.build.crycbOnlyWithMsax3 = true;
    this.s.k.trace.call('kvm', 'kvm_s390_crypto_init', 'host KVM allocates a CRYCB only for guests with facility 76 (pre-4.20)', '');
    return fit;
  }
}

export class VfioApFacade implements VfioApControl {
  constructor(private readonly s: SimHost) {}
  load(): Outcome {
    return this.s.enter() ?? this.s.vfio.init();
  }
  unload(): Outcome {
    return this.s.enter() ?? this.s.vfio.exit();
  }
  get loaded(): boolean {
    return this.s.vfio.loaded;
  }
  createMdev(name: string): Outcome {
    // vfioApMdevCreate refuses with ENOENT when the module (so the mdev type) is not there.
    return this.s.enter() ?? done(vfioApMdevCreate(this.s.vfio, name));
  }
  removeMdev(name: string): Outcome {
    return this.s.enter() ?? vfioApMdevRemove(this.s.vfio, this.s.mdev(name));
  }
  store(mdev: string, attr: MatrixAttr, text: string): Outcome {
    return this.s.enter() ?? matrixStore(this.s.vfio, this.s.mdev(mdev), attr, text);
  }
  show(mdev: string, attr: MatrixShowAttr): string {
    const m = this.s.mdev(mdev);
    return attr === 'matrix' ? matrixShow(m) : controlDomainsShow(m);
  }
  guestMatrix(mdev: string): Outcome<string> {
    return this.s.enter() ?? guestMatrixShow(this.s.vfio, this.s.mdev(mdev));
  }
  hasMdev(name: string): boolean {
    return this.s.vfio.findMdev(name) !== undefined;
  }
}

export class QemuFacade implements QemuControl {
  constructor(private readonly s: SimHost) {}
  start(guest: string, opts?: { cpuModel?: string; mdev?: string }): Outcome {
    return this.s.enter() ?? done(qemuStart(this.s.userspace, guest, opts?.cpuModel, opts?.mdev));
  }
  deviceAdd(guest: string, mdev: string): Outcome {
    return this.s.enter() ?? qemuDeviceAdd(this.s.userspace, this.s.process(guest), mdev);
  }
  deviceDel(guest: string, mdev: string): Outcome {
    return this.s.enter() ?? qemuDeviceDel(this.s.userspace, this.s.process(guest), mdev);
  }
  systemReset(guest: string): Outcome {
    return this.s.enter() ?? qemuSystemReset(this.s.userspace, this.s.process(guest));
  }
  shutdown(guest: string): Outcome {
    return this.s.enter() ?? qemuShutdown(this.s.userspace, this.s.process(guest));
  }
}

export class VmmFacade implements VmmControl {
  constructor(private readonly s: SimHost) {}
  create(guest: string): Outcome {
    return this.s.enter() ?? done(minimalVmmCreate(this.s.userspace, guest));
  }
  setCryptoAttr(guest: string, attr: CryptoAttr | number): Outcome {
    return this.s.enter() ?? vmmSetCryptoAttr(this.s.userspace, this.s.process(guest), attr);
  }
  hasCryptoAttr(guest: string, attr: CryptoAttr | number): Outcome {
    return this.s.enter() ?? vmmHasCryptoAttr(this.s.userspace, this.s.process(guest), attr);
  }
  enableCpuFeatAp(guest: string): Outcome {
    return this.s.enter() ?? vmmEnableCpuFeatAp(this.s.userspace, this.s.process(guest));
  }
  openMdev(mdev: string, guest: string): Outcome {
    return this.s.enter() ?? vmmOpenMdev(this.s.userspace, this.s.process(guest), this.s.mdev(mdev));
  }
  closeMdev(mdev: string): Outcome {
    // An mdev vfio_ap already unlinked (removed while open, E1-E3) is still the fd's device.
    return this.s.enter() ?? vmmCloseHeldMdev(this.s.userspace, openDeviceOf(this.s.userspace, mdev) ?? this.s.mdev(mdev));
  }
  resetMdev(mdev: string): Outcome {
    return this.s.enter() ?? vmmResetHeldMdev(this.s.userspace, this.s.mdev(mdev));
  }
  getDeviceInfo(mdev: string, argsz?: number): Outcome<string> {
    return this.s.enter() ?? vmmGetHeldDeviceInfo(this.s.userspace, this.s.mdev(mdev), argsz);
  }
  openMdevWithoutKvm(mdev: string): Outcome {
    return this.s.enter() ?? vmmOpenMdevWithoutKvm(this.s.userspace, this.s.mdev(mdev));
  }
  removeVfioGroup(mdev: string, guest: string): Outcome {
    return this.s.enter() ?? vmmRemoveVfioGroup(this.s.userspace, this.s.process(guest), openDeviceOf(this.s.userspace, mdev) ?? this.s.mdev(mdev));
  }
  unknownIoctl(mdev: string): Outcome {
    return this.s.enter() ?? vmmUnknownIoctl(this.s.userspace, openDeviceOf(this.s.userspace, mdev) ?? this.s.mdev(mdev));
  }
}

export class InspectFacade implements Inspect {
  constructor(private readonly s: SimHost) {}
  crycb(guest: string): CrycbMasks | undefined {
    return kvmCrycbMasks(this.s.process(guest).vm);
  }
  apInterpreted(guest: string): boolean {
    return kvmApInterpreted(this.s.process(guest).vm);
  }
  hasGuest(guest: string): boolean {
    return this.s.userspace.processes.has(guest);
  }
  guestHasFacility(guest: string, nr: number): boolean {
    return this.s.process(guest).vm.hasFacility(nr);
  }
}

export class GuestFacade implements GuestControl {
  constructor(private readonly s: SimHost) {}
  private alive(): void {
    if (this.s.k.crashed) throw new HostCrashedError(this.s.k.crashed);
  }
  scan(guest: string): Apqn[] {
    this.alive();
    return guestApScan(this.s.userspace, this.s.process(guest));
  }
  execute(guest: string, insn: GuestInstruction, q: Apqn, opts?: { readonly problemState?: boolean }): InstructionResult {
    this.alive();
    const operands = opts?.problemState ? { ...DEFAULT_PQAP_OPERANDS, problemState: true } : DEFAULT_PQAP_OPERANDS;
    return guestExecute(this.s.userspace, this.s.process(guest), insn, q, true, operands);
  }
}
