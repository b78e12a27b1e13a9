/**
 * The SystemApi facades (src/sim/api.ts) over one System: each resolves the scenario's names
 * ("g1", "m1"), boots the host on first use and refuses everything after an oops (System.run), then
 * calls the layer function that models the kernel or userspace action.
 */
import {
  HostCrashedError,
  type ApBusControl,
  type CrycbMasks,
  type CryptoAttr,
  type GuestControl,
  type GuestInstruction,
  type HostControl,
  type Inspect,
  type InstructionResult,
  type MaskKind,
  type MatrixAttr,
  type MatrixShowAttr,
  type QemuControl,
  type VfioApControl,
  type VmmControl,
} from './api';
import type { Apqn } from './apqn';
import { OK, Outcome, fail } from './errno';
import { AP_DEVICE_TYPE_CEX6 } from './firmware/ap-config';
import { ECA_APIE } from './firmware/ap-instructions';
import { APCB0_BITS, apcbFor, crycbFormatOf } from './firmware/crycb';
import { guestApScan, guestExecute } from './guest/ap-scan';
import { qemuDeviceAdd, qemuDeviceDel, qemuShutdown, qemuStart, qemuSystemReset } from './qemu/qemu';
import {
  findMdev,
  holderOf,
  minimalVmmCreate,
  vmmCloseMdev,
  vmmEnableCpuFeatAp,
  vmmGetDeviceInfo,
  vmmOpenMdev,
  vmmResetMdev,
  vmmSetCryptoAttr,
} from './qemu/vmm';
import type { System } from './system';
import { vfioApMdevCreate, vfioApMdevRemove } from './vfio-ap/ops';
import { controlDomainsShow, matrixShow, matrixStore } from './vfio-ap/sysfs';

/** Drop an outcome's value: the facade reports success or refusal only. */
function done<T>(r: Outcome<T>): Outcome {
  return r.ok ? OK : r;
}

export class ApBusFacade implements ApBusControl {
  constructor(private readonly s: System) {}
  storeMask(kind: MaskKind, text: string): Outcome {
    return this.s.run(() => this.s.bus.storeMask(kind, text));
  }
  showMask(kind: MaskKind): string {
    return (kind === 'apmask' ? this.s.bus.apm : this.s.bus.aqm).toHex();
  }
  /** "Reserved for pass-through" is what an administrator writes: `-a,-b` to apmask or aqmask. */
  reserveForPassThrough(kind: MaskKind, ids: readonly number[]): Outcome {
    return this.s.run(() => this.s.bus.storeMask(kind, ids.map((i) => `-${i}`).join(',')));
  }
  driverOf(q: Apqn): 'cex4queue' | 'vfio_ap' | 'none' | undefined {
    this.s.boot();
    return this.s.bus.driverOf(q);
  }
}

export class HostFacade implements HostControl {
  constructor(private readonly s: System) {}
  private changed(fn: string, detail: string, outcome: string): void {
    this.s.k.trace.call('firmware', fn, detail, outcome);
    this.s.hostChanged();
  }
  removeApInstructions(): void {
    this.s.machine.removeApInstructions();
    this.changed('machine', 'no AP instructions (and so no facilities 12, 15, 65)', '');
  }
  setFacility(nr: number, installed: boolean): void {
    const f = this.s.machine.facilities;
    if (installed) f.add(nr);
    else f.delete(nr);
    this.changed('stfle', `facility ${nr}`, installed ? 'installed' : 'not installed');
  }
  setApxa(installed: boolean): void {
    this.s.machine.apxa = installed;
    this.changed('qci', 'APXA', installed ? 'installed' : 'not installed (ids up to 63/15)');
  }
  configure(adapters: readonly number[], domains: readonly number[]): void {
    const m = this.s.machine;
    const types = new Map(m.adapters);
    m.adapters.clear();
    for (const a of adapters) m.adapters.set(a, types.get(a) ?? AP_DEVICE_TYPE_CEX6);
    m.usageDomains.words.fill(0);
    for (const d of domains) m.usageDomains.set(d);
    this.changed('qci', `adapters ${adapters.join(',')} domains ${domains.join(',')}`, '');
  }
  setControlDomains(ids: readonly number[]): void {
    const m = this.s.machine;
    m.controlDomains.words.fill(0);
    for (const d of ids) m.controlDomains.set(d);
    this.changed('qci', `control domains ${ids.join(',')}`, '');
  }
  setAdapterType(apid: number, type: number): void {
    this.s.machine.adapters.set(apid, type);
    this.changed('tapq', `adapter ${apid} type ${type}`, '');
  }
  setQueueResponseCode(q: Apqn, rc: number): void {
    const m = this.s.machine;
    if (rc === 0) m.queueRc.delete(q);
    else m.queueRc.set(q, rc);
    this.s.k.trace.call('firmware', 'tapq', `queue ${q.toString(16)} answers`, `rc 0x${rc.toString(16).padStart(2, '0')}`);
  }
  setKvmCrycbOnlyWithMsax3(): void {
    this.s.kvm.build.crycbOnlyWithMsax3 = true;
    this.s.k.trace.call('kvm', 'kvm_s390_crypto_init', 'host KVM allocates a CRYCB only for guests with facility 76 (pre-4.20)', '');
  }
}

export class VfioApFacade implements VfioApControl {
  constructor(private readonly s: System) {}
  load(): Outcome {
    return this.s.run(() => this.s.vfio.init());
  }
  unload(): Outcome {
    return this.s.run(() => this.s.vfio.exit());
  }
  get loaded(): boolean {
    return this.s.vfio.loaded;
  }
  createMdev(name: string): Outcome {
    return this.s.run(() => {
      // Without the module there is no vfio_ap-passthrough type, so no `create` file to write.
      if (!this.s.vfio.loaded) return fail('mdev_device_create', 'ENOENT', 'the vfio_ap module is not loaded: there is no vfio_ap-passthrough mdev type');
      return done(vfioApMdevCreate(this.s.vfio, name));
    });
  }
  removeMdev(name: string): Outcome {
    return this.s.run(() => vfioApMdevRemove(this.s.vfio, this.s.mdev(name)));
  }
  store(mdev: string, attr: MatrixAttr, text: string): Outcome {
    return this.s.run(() => matrixStore(this.s.vfio, this.s.mdev(mdev), attr, text));
  }
  show(mdev: string, attr: MatrixShowAttr): string {
    const m = this.s.mdev(mdev);
    return attr === 'matrix' ? matrixShow(m) : controlDomainsShow(m);
  }
  hasMdev(name: string): boolean {
    return findMdev(this.s.userspace, name) !== undefined;
  }
}

export class QemuFacade implements QemuControl {
  constructor(private readonly s: System) {}
  start(guest: string, opts?: { cpuModel?: string; mdev?: string }): Outcome {
    return this.s.run(() => done(qemuStart(this.s.userspace, guest, opts?.cpuModel, opts?.mdev)));
  }
  deviceAdd(guest: string, mdev: string): Outcome {
    return this.s.run(() => qemuDeviceAdd(this.s.userspace, this.s.process(guest), mdev));
  }
  deviceDel(guest: string, mdev: string): Outcome {
    return this.s.run(() => qemuDeviceDel(this.s.userspace, this.s.process(guest), mdev));
  }
  systemReset(guest: string): Outcome {
    return this.s.run(() => qemuSystemReset(this.s.userspace, this.s.process(guest)));
  }
  shutdown(guest: string): Outcome {
    return this.s.run(() => qemuShutdown(this.s.userspace, this.s.process(guest)));
  }
}

export class VmmFacade implements VmmControl {
  constructor(private readonly s: System) {}
  create(guest: string): Outcome {
    return this.s.run(() => done(minimalVmmCreate(this.s.userspace, guest)));
  }
  setCryptoAttr(guest: string, attr: CryptoAttr): Outcome {
    return this.s.run(() => vmmSetCryptoAttr(this.s.userspace, this.s.process(guest), attr));
  }
  enableCpuFeatAp(guest: string): Outcome {
    return this.s.run(() => vmmEnableCpuFeatAp(this.s.userspace, this.s.process(guest)));
  }
  openMdev(mdev: string, guest: string): Outcome {
    return this.s.run(() => vmmOpenMdev(this.s.userspace, this.s.process(guest), this.s.mdev(mdev)));
  }
  /** close() of the device fd; without a holder there is no fd to close (EBADF). */
  closeMdev(mdev: string): Outcome {
    return this.s.run(() => {
      const m = this.s.mdev(mdev);
      const holder = holderOf(this.s.userspace, mdev);
      if (!holder) return fail('close', 'EBADF', `no VMM holds ${mdev} open`);
      return vmmCloseMdev(this.s.userspace, holder, m);
    });
  }
  resetMdev(mdev: string): Outcome {
    return this.s.run(() => {
      const m = this.s.mdev(mdev);
      if (!holderOf(this.s.userspace, mdev)) return fail('ioctl', 'EBADF', `no VMM holds ${mdev} open`);
      return vmmResetMdev(this.s.userspace, m);
    });
  }
  getDeviceInfo(mdev: string, argsz?: number): Outcome<string> {
    return this.s.run(() => {
      const m = this.s.mdev(mdev);
      if (!holderOf(this.s.userspace, mdev)) return fail('ioctl', 'EBADF', `no VMM holds ${mdev} open`);
      return vmmGetDeviceInfo(this.s.userspace, m, argsz);
    });
  }
}

export class InspectFacade implements Inspect {
  constructor(private readonly s: System) {}
  /** The masks as the VM's CRYCB format holds them: APCB1 for format 2, APCB0 (64 bits) otherwise. */
  crycb(guest: string): CrycbMasks | undefined {
    const vm = this.s.process(guest).vm;
    const crycb = vm.crypto.crycb;
    if (!crycb || vm.crypto.crycbd === 0) return undefined;
    const format = crycbFormatOf(vm.crypto.crycbd);
    const apcb = apcbFor(crycb, vm.crypto.crycbd);
    const max = format === 2 ? 255 : APCB0_BITS - 1;
    return { format, apm: apcb.apm.ids(max), aqm: apcb.aqm.ids(max), adm: apcb.adm.ids(max) };
  }
  apInterpreted(guest: string): boolean {
    const vm = this.s.process(guest).vm;
    return vm.vcpus.length > 0 && vm.vcpus.every((v) => (v.sie.eca & ECA_APIE) !== 0);
  }
  hasGuest(guest: string): boolean {
    return this.s.userspace.processes.has(guest);
  }
  guestHasFacility(guest: string, nr: number): boolean {
    return this.s.process(guest).vm.hasFacility(nr);
  }
}

export class GuestFacade implements GuestControl {
  constructor(private readonly s: System) {}
  private alive(): void {
    if (this.s.k.crashed) throw new HostCrashedError(this.s.k.crashed);
  }
  scan(guest: string): Apqn[] {
    this.alive();
    return guestApScan(this.s.userspace, this.s.process(guest));
  }
  execute(guest: string, insn: GuestInstruction, q: Apqn): InstructionResult {
    this.alive();
    return guestExecute(this.s.userspace, this.s.process(guest), insn, q);
  }
}
