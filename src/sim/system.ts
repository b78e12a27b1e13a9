/**
 * createSystem: one simulated s390 host per scenario, composed from the layers
 * (firmware <- ap-bus <- kvm <- vfio-ap <- qemu/guest), behind the SystemApi facade that steps,
 * reports and the explorer use. Names in scenarios ("g1", "m1") are resolved here.
 *
 * The host boots lazily: host-description steps change the machine first, and the AP bus
 * initialises (ap_module_init, zcrypt's cex4queue driver) at the first operation that needs the
 * running kernel. Host changes after boot trigger an AP bus rescan, as a configuration change does.
 */
import {
  ApBusControl,
  CrycbMasks,
  GuestControl,
  HostControl,
  Inspect,
  MissingEntityError,
  QemuControl,
  SystemApi,
  VfioApControl,
  VmmControl,
} from './api';
import { ApBus, zcryptCex4QueueDriver } from './ap-bus/ap-bus';
import type { Policy } from './decisions';
import { Outcome, fail } from './errno';
import { APCB0_BITS, crycbFormatOf } from './firmware/crycb';
import { ECA_APIE } from './firmware/ap-instructions';
import { Machine } from './firmware/machine';
import { AP_DEVICE_TYPE_CEX6 } from './firmware/ap-config';
import { guestApScan, guestExecute } from './guest/ap-scan';
import { Kernel } from './kernel';
import { makeKvmHooks } from './kvm/hooks';
import { KvmModule } from './kvm/kvm';
import { qemuDeviceAdd, qemuDeviceDel, qemuShutdown, qemuStart, qemuSystemReset } from './qemu/qemu';
import {
  Userspace,
  VmmProcess,
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
import type { OopsEvent, TraceEvent } from './trace';
import { VfioApModule } from './vfio-ap/drv';
import { vfioApMdevCreate, vfioApMdevRemove } from './vfio-ap/ops';
import type { MatrixMdev } from './vfio-ap/private';
import { controlDomainsShow, matrixShow, matrixStore } from './vfio-ap/sysfs';

export interface CreateSystemOptions {
  readonly policy: Policy;
  /** false: record no trace events (src/explore's throughput mode; `events` stays empty). Default true. */
  readonly trace?: boolean;
}

/** Thrown by guest-side reads after the host crashed: nothing runs after an oops. */
export class HostCrashedError extends Error {
  constructor(readonly oops: OopsEvent) {
    super(`the host kernel crashed earlier (oops in ${oops.fn}: ${oops.detail}); nothing runs after an oops`);
    this.name = 'HostCrashedError';
  }
}

export class System implements SystemApi {
  readonly machine = new Machine();
  readonly k: Kernel;
  /** The AP bus itself (src/sim/ap-bus); `apBus` is the administrator's sysfs view of it. */
  readonly bus: ApBus;
  readonly apBus: ApBusControl;
  readonly kvm: KvmModule;
  readonly vfio: VfioApModule;
  private readonly userspace: Userspace;
  private booted = false;

  readonly host: HostControl;
  readonly vfioAp: VfioApControl;
  readonly qemu: QemuControl;
  readonly vmm: VmmControl;
  readonly inspect: Inspect;
  readonly guest: GuestControl;

  constructor(
    readonly policy: Policy,
    recordTrace = true,
  ) {
    this.k = new Kernel(this.machine, policy, recordTrace);
    const apBus = new ApBus(this.k);
    const hooks = makeKvmHooks();
    this.kvm = new KvmModule(this.k, hooks);
    this.vfio = new VfioApModule(this.k, apBus, hooks);
    this.userspace = { k: this.k, kvm: this.kvm, vfioAp: this.vfio, processes: new Map() };
    this.bus = apBus;
    this.apBus = this.makeApBus();
    this.host = this.makeHost();
    this.vfioAp = this.makeVfioAp();
    this.qemu = this.makeQemu();
    this.vmm = this.makeVmm();
    this.inspect = this.makeInspect();
    this.guest = this.makeGuest();
  }

  get events(): readonly TraceEvent[] {
    return this.k.trace.events;
  }

  get oops(): OopsEvent | undefined {
    return this.k.crashed;
  }

  get decisionsTaken(): ReadonlyMap<string, number> {
    return this.k.decisionsTaken;
  }

  /** Boot the host kernel once: the AP bus and zcrypt's default driver. */
  private boot(): void {
    if (this.booted) return;
    this.booted = true;
    this.bus.init();
    if (this.bus.initialised) this.bus.registerDriver(zcryptCex4QueueDriver());
  }

  /** Run a kernel operation: boot first; refuse everything after an oops. */
  private run<T>(op: () => Outcome<T>): Outcome<T> {
    if (this.k.crashed)
      return fail(this.k.crashed.fn, undefined, `the host kernel crashed earlier (oops in ${this.k.crashed.fn}); nothing runs after an oops`);
    this.boot();
    return op();
  }

  private makeApBus(): ApBusControl {
    const bus = this.bus;
    return {
      storeMask: (kind, text) => this.run(() => bus.storeMask(kind, text)),
      showMask: (kind) => (kind === 'apmask' ? bus.apm : bus.aqm).toHex(),
      // "Reserved for pass-through" is what an administrator writes: `-a,-b` to apmask or aqmask.
      reserveForPassThrough: (kind, ids) => this.run(() => bus.storeMask(kind, ids.map((i) => `-${i}`).join(','))),
      driverOf: (q) => {
        this.boot();
        return bus.driverOf(q);
      },
    };
  }

  private hostChanged(): void {
    if (this.booted) this.bus.scan();
  }

  private process(guest: string): VmmProcess {
    const p = this.userspace.processes.get(guest);
    if (!p) throw new MissingEntityError('guest', guest);
    return p;
  }

  private mdev(name: string): MatrixMdev {
    const m = findMdev(this.userspace, name);
    if (!m) throw new MissingEntityError('mediated device', name);
    return m;
  }

  private makeHost(): HostControl {
    const m = this.machine;
    return {
      removeApInstructions: () => {
        m.removeApInstructions();
        this.k.trace.call('firmware', 'machine', 'no AP instructions (and so no facilities 12, 15, 65)', '');
        this.hostChanged();
      },
      setFacility: (nr, installed) => {
        if (installed) m.facilities.add(nr);
        else m.facilities.delete(nr);
        this.k.trace.call('firmware', 'stfle', `facility ${nr}`, installed ? 'installed' : 'not installed');
        this.hostChanged();
      },
      setApxa: (installed) => {
        m.apxa = installed;
        this.k.trace.call('firmware', 'qci', 'APXA', installed ? 'installed' : `not installed (ids up to 63/15)`);
        this.hostChanged();
      },
      configure: (adapters, domains) => {
        const types = new Map(m.adapters);
        m.adapters.clear();
        for (const a of adapters) m.adapters.set(a, types.get(a) ?? AP_DEVICE_TYPE_CEX6);
        m.usageDomains.words.fill(0);
        for (const d of domains) m.usageDomains.set(d);
        this.k.trace.call('firmware', 'qci', `adapters ${adapters.join(',')} domains ${domains.join(',')}`, '');
        this.hostChanged();
      },
      setControlDomains: (ids) => {
        m.controlDomains.words.fill(0);
        for (const d of ids) m.controlDomains.set(d);
        this.k.trace.call('firmware', 'qci', `control domains ${ids.join(',')}`, '');
        this.hostChanged();
      },
      setAdapterType: (apid, type) => {
        m.adapters.set(apid, type);
        this.k.trace.call('firmware', 'tapq', `adapter ${apid} type ${type}`, '');
        this.hostChanged();
      },
      setQueueResponseCode: (q, rc) => {
        if (rc === 0) m.queueRc.delete(q);
        else m.queueRc.set(q, rc);
        this.k.trace.call('firmware', 'tapq', `queue ${q.toString(16)} answers`, `rc 0x${rc.toString(16).padStart(2, '0')}`);
      },
      setKvmCrycbOnlyWithMsax3: () => {
        this.kvm.build.crycbOnlyWithMsax3 = true;
        this.k.trace.call('kvm', 'kvm_s390_crypto_init', 'host KVM allocates a CRYCB only for guests with facility 76 (pre-4.20)', '');
      },
    };
  }

  private makeVfioAp(): VfioApControl {
    const v = this.vfio;
    const sys = this;
    return {
      load: () => this.run(() => v.init()),
      unload: () => this.run(() => v.exit()),
      get loaded() {
        return sys.vfio.loaded;
      },
      createMdev: (name) =>
        this.run(() => {
          if (!v.loaded) return fail('mdev_device_create', 'ENOENT', 'the vfio_ap module is not loaded: there is no vfio_ap-passthrough mdev type');
          const r = vfioApMdevCreate(v, name);
          return r.ok ? { ok: true, value: undefined } : r;
        }),
      removeMdev: (name) => this.run(() => vfioApMdevRemove(v, this.mdev(name))),
      store: (mdev, attr, text) => this.run(() => matrixStore(v, this.mdev(mdev), attr, text)),
      show: (mdev, attr) => (attr === 'matrix' ? matrixShow(this.mdev(mdev)) : controlDomainsShow(this.mdev(mdev))),
      hasMdev: (name) => findMdev(this.userspace, name) !== undefined,
    };
  }

  private makeQemu(): QemuControl {
    const u = this.userspace;
    return {
      start: (guest, opts) => this.run(() => {
        const r = qemuStart(u, guest, opts?.cpuModel, opts?.mdev);
        return r.ok ? { ok: true, value: undefined } : r;
      }),
      deviceAdd: (guest, mdev) => this.run(() => qemuDeviceAdd(u, this.process(guest), mdev)),
      deviceDel: (guest, mdev) => this.run(() => qemuDeviceDel(u, this.process(guest), mdev)),
      systemReset: (guest) => this.run(() => qemuSystemReset(u, this.process(guest))),
      shutdown: (guest) => this.run(() => qemuShutdown(u, this.process(guest))),
    };
  }

  private makeVmm(): VmmControl {
    const u = this.userspace;
    return {
      create: (guest) => this.run(() => {
        const r = minimalVmmCreate(u, guest);
        return r.ok ? { ok: true, value: undefined } : r;
      }),
      setCryptoAttr: (guest, attr) => this.run(() => vmmSetCryptoAttr(u, this.process(guest), attr)),
      enableCpuFeatAp: (guest) => this.run(() => vmmEnableCpuFeatAp(u, this.process(guest))),
      openMdev: (mdev, guest) => this.run(() => vmmOpenMdev(u, this.process(guest), this.mdev(mdev))),
      closeMdev: (mdev) =>
        this.run(() => {
          const m = this.mdev(mdev);
          const holder = holderOf(u, mdev);
          if (!holder) return fail('close', 'EBADF', `no VMM holds ${mdev} open`);
          return vmmCloseMdev(u, holder, m);
        }),
      resetMdev: (mdev) =>
        this.run(() => {
          const m = this.mdev(mdev);
          if (!holderOf(u, mdev)) return fail('ioctl', 'EBADF', `no VMM holds ${mdev} open`);
          return vmmResetMdev(u, m);
        }),
      getDeviceInfo: (mdev, argsz) =>
        this.run(() => {
          const m = this.mdev(mdev);
          if (!holderOf(u, mdev)) return fail('ioctl', 'EBADF', `no VMM holds ${mdev} open`);
          return vmmGetDeviceInfo(u, m, argsz);
        }),
    };
  }

  private makeInspect(): Inspect {
    return {
      crycb: (guest): CrycbMasks | undefined => {
        const vm = this.process(guest).vm;
        const crycb = vm.crypto.crycb;
        if (!crycb || vm.crypto.crycbd === 0) return undefined;
        const format = crycbFormatOf(vm.crypto.crycbd);
        if (format === 2) return { format, apm: crycb.apcb1.apm.ids(), aqm: crycb.apcb1.aqm.ids(), adm: crycb.apcb1.adm.ids() };
        return {
          format,
          apm: crycb.apcb0.apm.ids(APCB0_BITS - 1),
          aqm: crycb.apcb0.aqm.ids(APCB0_BITS - 1),
          adm: crycb.apcb0.adm.ids(APCB0_BITS - 1),
        };
      },
      apInterpreted: (guest) => {
        const vm = this.process(guest).vm;
        return vm.vcpus.length > 0 && vm.vcpus.every((v) => (v.sie.eca & ECA_APIE) !== 0);
      },
      hasGuest: (guest) => this.userspace.processes.has(guest),
      guestHasFacility: (guest, nr) => this.process(guest).vm.hasFacility(nr),
    };
  }

  private makeGuest(): GuestControl {
    const u = this.userspace;
    const alive = () => {
      if (this.k.crashed) throw new HostCrashedError(this.k.crashed);
    };
    return {
      scan: (guest) => (alive(), guestApScan(u, this.process(guest))),
      execute: (guest, insn, q) => (alive(), guestExecute(u, this.process(guest), insn, q)),
    };
  }
}

export function createSystem(options: CreateSystemOptions): System {
  return new System(options.policy, options.trace ?? true);
}
