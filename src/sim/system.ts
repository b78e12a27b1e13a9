/**
 * createSystem: one simulated s390 host per scenario, composed from the layers
 * (firmware <- ap-bus <- kvm <- vfio-ap <- qemu/guest), behind the SystemApi facades that steps,
 * reports and the explorer use (through src/sim/api.ts). Names in scenarios ("g1", "m1") are resolved here.
 *
 * The host boots lazily: host-description steps change the machine first, and the AP bus
 * initialises (ap_module_init, zcrypt's cex4queue driver) at the first operation that needs the
 * running kernel. Host changes after boot trigger an AP bus rescan, as a configuration change does.
 */
import {
  MissingEntityError,
  type ApBusControl,
  type GuestControl,
  type HostControl,
  type HostKvm,
  type Inspect,
  type QemuControl,
  type SystemApi,
  type VfioApControl,
  type VmmControl,
} from './system-api';
import { ApBusFacade, GuestFacade, HostFacade, InspectFacade, QemuFacade, VfioApFacade, VmmFacade, type SimHost } from './facades';
import { ApBus, zcryptCex4QueueDriver } from './ap-bus/ap-bus';
import type { Policy } from './decisions';
import { Outcome, type Refusal, fail } from './errno';
import { Machine } from './firmware/machine';
import { Kernel } from './kernel';
import { makeKvmHooks } from './kvm/hooks';
import { KvmModule } from './kvm/kvm';
import { Userspace, VmmProcess, findMdev } from './qemu/vmm';
import type { OopsEvent, TraceEvent } from './trace';
import { VfioApModule } from './vfio-ap/drv';
import type { MatrixMdev } from './vfio-ap/private';

export interface CreateSystemOptions {
  readonly policy: Policy;
  /** false: record no trace events (src/explore's throughput mode; `events` stays empty). Default true. */
  readonly trace?: boolean;
}

export { HostCrashedError } from './system-api';

export class System implements SystemApi, SimHost {
  readonly machine = new Machine();
  readonly k: Kernel;
  /** The AP bus itself (src/sim/ap-bus); `apBus` is the administrator's sysfs view of it. */
  readonly bus: ApBus;
  readonly apBus: ApBusControl;
  readonly kvm: KvmModule;
  readonly vfio: VfioApModule;
  /** @internal */
  readonly userspace: Userspace;
  /** @internal */
  booted = false;

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
    // The facades are classes (src/sim/facades.ts): methods on prototypes, so a System per
    // scenario costs no per-instance closures.
    this.apBus = new ApBusFacade(this);
    this.host = new HostFacade(this);
    this.vfioAp = new VfioApFacade(this);
    this.qemu = new QemuFacade(this);
    this.vmm = new VmmFacade(this);
    this.inspect = new InspectFacade(this);
    this.guest = new GuestFacade(this);
  }

  get events(): readonly TraceEvent[] {
    return this.k.trace.events;
  }

  get oops(): OopsEvent | undefined {
    return this.k.crashed;
  }

  get hostKvm(): HostKvm {
    return this.kvm.build.crycbOnlyWithMsax3 ? 'pre-4.20' : 'linux-4.20';
  }

  get decisionsTaken(): ReadonlyMap<string, number> {
    return this.k.decisionsTaken;
  }

  /** @internal Boot the host kernel once: the AP bus (ap_module_init) and zcrypt's default driver. */
  boot(): void {
    if (this.booted) return;
    this.booted = true;
    this.bus.init();
    if (this.bus.initialised) this.bus.registerDriver(zcryptCex4QueueDriver());
  }

  /** @internal Run a kernel operation: boot first; refuse everything after an oops. */
  run<T>(op: () => Outcome<T>): Outcome<T> {
    return this.enter() ?? op();
  }

  /** @internal `run` without the closure: the refusal after an oops, or undefined once booted. */
  enter(): Refusal | undefined {
    if (this.k.crashed)
      return fail(this.k.crashed.fn, undefined, `the host kernel crashed earlier (oops in ${this.k.crashed.fn}); nothing runs after an oops`);
    if (!this.booted) this.boot();
    return undefined;
  }

  /** @internal A host description changed after boot: rescan the AP bus, as a configuration change does. */
  hostChanged(): void {
    if (this.booted) this.bus.scan();
  }

  /** @internal The VMM process running a guest, or MissingEntityError. */
  process(guest: string): VmmProcess {
    const p = this.userspace.processes.get(guest);
    if (!p) throw new MissingEntityError('guest', guest);
    return p;
  }

  /** @internal The mdev of that name, or MissingEntityError. */
  mdev(name: string): MatrixMdev {
    const m = findMdev(this.userspace, name);
    if (!m) throw new MissingEntityError('mediated device', name);
    return m;
  }
}

export function createSystem(options: CreateSystemOptions): System {
  return new System(options.policy, options.trace ?? true);
}
