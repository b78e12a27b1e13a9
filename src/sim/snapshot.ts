/**
 * Cheap snapshots of a System for the explorer's breadth-first search (src/explore/bfs.ts):
 *
 * - `cloneSystem(sys)`: a new System in the same state, sharing nothing mutable with the original,
 *   so both can go on independently. It builds a fresh System (same policy) and copies every layer's
 *   state into it, re-pointing references (an mdev's KVM, a process's VM, a queue's driver, a VFIO
 *   group's notifier) at the copies. The trace is not copied: the clone starts with an empty one.
 * - `stateKey(sys)`: a canonical string of everything a later operation or observation can depend
 *   on (machine, AP bus masks and bindings, VMs' crypto/CRYCB/vcpus, mdevs' matrices and KVMs, VFIO
 *   groups, VMM processes, the host's health). Not the trace, not decision coverage, and not the fake
 *   CRYCB address KVM derives from a VM counter (only its format and "non-zero" are observable).
 *
 * Both reach into the layers' private fields through the `Internals` views below; if a layer gains
 * state, teach it here (src/sim/snapshot.test.ts checks clone and key against replay).
 */
import type { ApDriver, ApQueueDevice } from './ap-bus/ap-driver';
import { zcryptCex4QueueDriver } from './ap-bus/ap-bus';
import type { Bitmap256 } from './bitmap';
import { crycbFormatOf } from './firmware/crycb';
import { Vcpu, Vm } from './kvm/vm';
import type { Userspace, VmmProcess } from './qemu/vmm';
import { System, createSystem } from './system';
import { vfioApMdevGroupNotifier } from './vfio-ap/ops';
import { MatrixMdev } from './vfio-ap/private';

/** The private fields the snapshot needs (TypeScript `private` is compile-time only). */
interface SystemInternals {
  booted: boolean;
  readonly userspace: Userspace;
}
interface KvmInternals {
  nextVmId: number;
}
interface VfioInternals {
  readonly driver: ApDriver;
}

const sysI = (s: System) => s as unknown as SystemInternals;

export interface CloneOptions {
  /** Record a trace in the clone (default: whatever the original does). */
  readonly trace?: boolean;
}


function cloneVm(src: Vm): Vm {
  const vm = new Vm(src.name, src.id);
  for (const f of src.facMask) vm.facMask.add(f);
  for (const f of src.facList) vm.facList.add(f);
  for (const f of src.cpuFeat) vm.cpuFeat.add(f);
  const c = src.crypto;
  Object.assign(vm.crypto, { crycb: c.crycb ? c.crycb.clone() : null, crycbd: c.crycbd, apie: c.apie, aesKw: c.aesKw, deaKw: c.deaKw });
  for (const v of src.vcpus) {
    const vcpu = new Vcpu(v.id);
    vcpu.sie.eca = v.sie.eca;
    vcpu.sie.crycbd = v.sie.crycbd;
    vcpu.sie.ecb3 = v.sie.ecb3;
    vcpu.pswCc = v.pswCc;
    vm.vcpus.push(vcpu);
  }
  for (const g of src.vfioGroups) vm.vfioGroups.add(g);
  vm.gisa = src.gisa;
  vm.destroyed = src.destroyed;
  return vm;
}

/** A System in the same state as `src`, independent of it. */
export function cloneSystem(src: System, options: CloneOptions = {}): System {
  const dst = createSystem({ policy: src.policy, trace: options.trace ?? src.k.trace.recording });
  const S = sysI(src);
  const D = sysI(dst);

  dst.machine.copyFrom(src.machine);
  dst.k.crashed = src.k.crashed;
  dst.k.clockMs = src.k.clockMs;
  for (const [k, v] of src.k.decisionsTaken) dst.k.decisionsTaken.set(k, v);
  D.booted = S.booted;

  // KVM: VMs (and any VM still referenced after it was destroyed), mapped by identity.
  dst.kvm.build.crycbOnlyWithMsax3 = src.kvm.build.crycbOnlyWithMsax3;
  (dst.kvm as unknown as KvmInternals).nextVmId = (src.kvm as unknown as KvmInternals).nextVmId;
  const vms = new Map<Vm, Vm>();
  const vm = (v: Vm | null): Vm | null => {
    if (!v) return null;
    let c = vms.get(v);
    if (!c) vms.set(v, (c = cloneVm(v)));
    return c;
  };
  for (const [name, v] of src.kvm.vms) dst.kvm.vms.set(name, vm(v)!);

  // AP bus: masks, drivers (by identity: zcrypt's is stateless, vfio_ap's belongs to the module), queues.
  const drivers = new Map<ApDriver, ApDriver>();
  drivers.set((src.vfio as unknown as VfioInternals).driver, (dst.vfio as unknown as VfioInternals).driver);
  const driver = (d: ApDriver | null): ApDriver | null => {
    if (!d) return null;
    let c = drivers.get(d);
    if (!c) {
      if (d.name !== 'cex4queue') throw new Error(`cloneSystem: unknown AP driver ${d.name}; teach src/sim/snapshot.ts about it`);
      drivers.set(d, (c = zcryptCex4QueueDriver()));
    }
    return c;
  };
  const bus = dst.bus;
  bus.initialised = src.bus.initialised;
  bus.apm.copyFrom(src.bus.apm);
  bus.aqm.copyFrom(src.bus.aqm);
  bus.drivers.length = 0;
  for (const d of src.bus.drivers) bus.drivers.push(driver(d)!);
  bus.queues.clear();
  for (const [q, dev] of src.bus.queues) {
    const copy: ApQueueDevice = { apqn: dev.apqn, rawType: dev.rawType, compType: dev.compType, driver: driver(dev.driver) };
    bus.queues.set(q, copy);
  }

  // vfio_ap: the matrix device, its mdevs, the module refcount, the vfio core's groups.
  const v = dst.vfio;
  v.refcount = src.vfio.refcount;
  // Mdevs by identity: a removed mdev whose fd is still open lives on only in its VFIO group.
  const mdevs = new Map<MatrixMdev, MatrixMdev>();
  const mdev = (m: MatrixMdev): MatrixMdev => {
    let c = mdevs.get(m);
    if (c) return c;
    c = new MatrixMdev(v, m.name, {
      apmMax: m.matrix.apmMax,
      apm: m.matrix.apm.clone(),
      aqmMax: m.matrix.aqmMax,
      aqm: m.matrix.aqm.clone(),
      admMax: m.matrix.admMax,
      adm: m.matrix.adm.clone(),
    });
    c.kvm = vm(m.kvm);
    c.notifierRegistered = m.notifierRegistered;
    c.shadow.apm.copyFrom(m.shadow.apm);
    c.shadow.aqm.copyFrom(m.shadow.aqm);
    c.shadow.adm.copyFrom(m.shadow.adm);
    c.removePending = m.removePending;
    c.irqEnabled = m.irqEnabled ? new Set(m.irqEnabled) : null;
    mdevs.set(m, c);
    return c;
  };
  const sdev = src.vfio.matrixDev;
  if (sdev) {
    const mdevList: MatrixMdev[] = sdev.mdevList.map(mdev);
    // matrix_dev->info is never written after vfio_ap_init: shared.
    v.matrixDev = { info: sdev.info, availableInstances: sdev.availableInstances, mdevList };
  } else v.matrixDev = null;
  v.core.groups.clear();
  for (const [name, g] of src.vfio.core.groups) {
    const m = g.device ? mdev(g.device) : undefined;
    if (g.notifier && !m) throw new Error(`cloneSystem: VFIO group ${name} has a notifier but no mdev`);
    v.core.groups.set(name, {
      name,
      kvm: vm(g.kvm),
      notifier: g.notifier && m ? (k) => vfioApMdevGroupNotifier(v, m, k) : null,
      deviceOpen: g.deviceOpen,
      device: m,
    });
  }
  // kvm->arch.crypto.pqap_hook points at an mdev (vfio_ap's hook): re-point it at the copy.
  for (const [sv, dv] of vms) {
    const hook = sv.crypto.pqapHook;
    if (hook instanceof MatrixMdev) dv.crypto.pqapHook = mdev(hook);
  }

  // Userspace: the VMM processes. A resolved CPU model is never mutated: shared.
  const procs = D.userspace.processes;
  procs.clear();
  for (const [guest, p] of S.userspace.processes) {
    const copy: VmmProcess = {
      guest: p.guest,
      kind: p.kind,
      vm: vm(p.vm)!,
      ...(p.cpuModel ? { cpuModel: p.cpuModel } : {}),
      apBridge: p.apBridge,
      vfioApDevice: p.vfioApDevice,
      openDevices: new Set(p.openDevices),
    };
    procs.set(guest, copy);
  }
  return dst;
}

const bm = (b: Bitmap256): string => b.key();
const sorted = (it: Iterable<number | string>): string => [...it].sort().join(',');

function vmKey(v: Vm | null): string {
  if (!v) return '-';
  return v.destroyed ? `${v.name}!` : v.name;
}

function vmStateKey(v: Vm): string {
  const c = v.crypto;
  const crycb = c.crycb
    ? `${bm(c.crycb.apcb0.apm)}${bm(c.crycb.apcb0.aqm)}${bm(c.crycb.apcb0.adm)}|${bm(c.crycb.apcb1.apm)}${bm(c.crycb.apcb1.aqm)}${bm(c.crycb.apcb1.adm)}|${+c.crycb.aesWrappingKey}${+c.crycb.deaWrappingKey}`
    : 'none';
  const d = (crycbd: number) => (crycbd === 0 ? '0' : `f${crycbFormatOf(crycbd)}`);
  const vcpus = v.vcpus.map((x) => `${x.sie.eca}/${d(x.sie.crycbd)}/${x.sie.ecb3}/${x.pswCc}`).join(';');
  return `${v.name}{m${sorted(v.facMask)} l${sorted(v.facList)} f${sorted(v.cpuFeat)} d${d(c.crycbd)} a${+c.apie}${+c.aesKw}${+c.deaKw} c${crycb} v${vcpus} g${sorted(v.vfioGroups)} h${c.pqapHook?.pqapOwner ?? ''}${v.gisa ? ' G' : ''}${v.destroyed ? ' X' : ''}}`;
}

/**
 * A canonical string of the observable state. Two Systems with equal keys answer every operation
 * and observation alike (up to trace text and the fake CRYCB address).
 */
export function stateKey(sys: System): string {
  const m = sys.machine;
  const S = sysI(sys);
  const parts: string[] = [];
  parts.push(
    `M${+m.apInstructions}${+m.apxa}${+m.aiv} ${sorted(m.facilities)} ${m.na}/${m.nd} ${[...m.adapters].map(([a, t]) => `${a}:${t}`).join(',')} ${bm(m.usageDomains)}${bm(m.controlDomains)} ${[...m.queueRc].map(([q, rc]) => `${q}:${rc}`).join(',')} ${sorted(m.pendingReplies)}`,
  );
  parts.push(`K${+S.booted}${+sys.kvm.build.crycbOnlyWithMsax3} ${sys.k.crashed ? sys.k.crashed.fn : ''} ${sys.k.clockMs}`);
  const bus = sys.bus;
  parts.push(`B${+bus.initialised} ${bm(bus.apm)}${bm(bus.aqm)} ${bus.drivers.map((d) => d.name).join(',')} ${[...bus.queues.values()].map((q) => `${q.apqn}:${q.rawType}:${q.driver?.name ?? ''}`).sort().join(',')}`);
  parts.push([...sys.kvm.vms.values()].map((v) => `V${vmStateKey(v)}`).sort().join('\n'));
  const dev = sys.vfio.matrixDev;
  if (dev) {
    parts.push(`X${sys.vfio.refcount} ${dev.availableInstances}`);
    for (const mm of dev.mdevList)
      parts.push(
        `D${mm.name} ${mm.matrix.apmMax}/${mm.matrix.aqmMax}/${mm.matrix.admMax} ${bm(mm.matrix.apm)}${bm(mm.matrix.aqm)}${bm(mm.matrix.adm)} ${vmKey(mm.kvm)} ${+mm.notifierRegistered} ${bm(mm.shadow.apm)}${bm(mm.shadow.aqm)}${bm(mm.shadow.adm)} ${+mm.removePending} ${mm.irqEnabled ? [...mm.irqEnabled].sort().join(',') : ''}`,
      );
  } else parts.push(`X-${sys.vfio.refcount}`);
  parts.push([...sys.vfio.core.groups.values()].map((g) => `G${g.name} ${vmKey(g.kvm)} ${+(g.notifier !== null)}${+g.deviceOpen}`).sort().join('\n'));
  parts.push(
    [...S.userspace.processes.values()]
      .map((p) => `P${p.guest} ${p.kind} ${p.vm.name} ${p.cpuModel ? sorted(p.cpuModel) : '-'} ${+p.apBridge} ${p.vfioApDevice ?? ''} ${sorted(p.openDevices)}`)
      .sort()
      .join('\n'),
  );
  return parts.join('\n');
}
