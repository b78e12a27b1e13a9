/**
 * QEMU (3.1, with the AP series; reference §1.6) as a user runs it: `-cpu host[,...]`,
 * `-device vfio-ap,sysfsdev=...`, `device_add`/`device_del`, `system_reset` and `quit`.
 */
import { OK, Outcome, fail, ok } from '../errno';
import { CPU_FEATURES, CpuFeature, FEATURE_FACILITY, parseCpuModel, resolveCpuModel } from './cpu-model';
import { Userspace, VmmProcess, findMdev, hostCrashed, vmmExit, vmmOpenMdev, vmmCloseMdev, vmmResetMdev } from './vmm';

function qemuFail(message: string): Outcome<never> {
  return fail('qemu', undefined, message);
}

/**
 * Which CPU features the host model has, as QEMU learns them from KVM: `ap` iff KVM reports the
 * ENABLE_APIE attribute (kvm_s390_vm_has_attr; QEMU11 3/6); the facility features iff the host has
 * the facility and KVM's CPU-model mask (`cpumodel`, from kvm_s390_get_machine) offers it (65 is
 * not offered before 5.3).
 */
function hostModelHas(u: Userspace, cpumodel: readonly number[], f: CpuFeature): boolean {
  if (f === 'ap') return u.kvm.cryptoAttrSupported('ENABLE_APIE');
  const fac = FEATURE_FACILITY[f];
  if (!u.k.machine.hasFacility(fac)) return false;
  return f === 'msa3' || cpumodel.includes(fac);
}

/**
 * Start a guest: create the VM, apply the CPU model (KVM_S390_VM_CPU_PROCESSOR; in a KVM offering
 * feature AP also KVM_S390_VM_CPU_PROCESSOR_FEAT; ENABLE_APIE when the model has `ap`), create the
 * vcpu, create ap-bridge when the model has `ap`, then realize `-device vfio-ap` (attach the group to
 * the KVM, then open the device).
 */
export function qemuStart(u: Userspace, guest: string, cpuModel = 'host', mdev?: string): Outcome<VmmProcess> {
  if (u.processes.has(guest)) return qemuFail(`a guest "${guest}" is already running`);
  const parsed = parseCpuModel(cpuModel);
  if (!parsed.ok) {
    if (u.k.trace.recording) u.k.trace.call('qemu', 'parse_cpu_model', `-cpu ${cpuModel}`, parsed.error);
    return qemuFail(`qemu-system-s390x: -cpu ${cpuModel}: ${parsed.error}`);
  }
  const cpumodel = u.kvm.cpumodelFacilities('kvm_s390_get_machine');
  const resolved = resolveCpuModel(parsed.spec, { has: (f) => hostModelHas(u, cpumodel, f) });
  if (!resolved.ok) {
    if (u.k.trace.recording) u.k.trace.call('qemu', 'check_compatibility', `-cpu ${cpuModel}`, resolved.error);
    return qemuFail(`qemu-system-s390x: ${resolved.error}`);
  }
  for (const w of resolved.warnings) u.k.trace.call('qemu', 'check_consistency', `-cpu ${cpuModel}`, `warning: ${w}`);
  const features = resolved.features;
  if (u.k.trace.recording) u.k.trace.call('qemu', 'qemu_init', `${guest}: -cpu ${cpuModel} -> ${CPU_FEATURES.filter((f) => features.has(f)).join(',') || 'no AP features'}${mdev ? ` -device vfio-ap,sysfsdev=${mdev}` : ''}`, '');

  const vm = u.kvm.createVm(guest);
  // kvm_s390_apply_cpu_model: the facility list of the model, within what KVM's mask allows.
  const facilities = [...vm.facMask].filter((fac) => {
    const feature = (Object.keys(FEATURE_FACILITY) as Exclude<CpuFeature, 'ap'>[]).find((f) => FEATURE_FACILITY[f] === fac);
    return feature ? features.has(feature) : true;
  });
  u.kvm.setProcessor(vm, facilities);
  if (features.has('ap') && u.kvm.cpuFeatApAvailable('kvm_s390_get_machine_feat')) u.kvm.enableCpuFeatAp(vm);
  if (features.has('ap')) u.kvm.setCryptoAttr(vm, 'ENABLE_APIE');
  u.kvm.createVcpu(vm);
  const p: VmmProcess = { guest, kind: 'qemu', vm, cpuModel: features, apBridge: false, vfioApDevice: null, openDevices: new Set() };
  u.processes.set(guest, p);
  if (features.has('ap')) {
    // s390_init_ap: ap-bridge and its ap-bus (max_dev = 1).
    p.apBridge = true;
    if (u.k.trace.recording) u.k.trace.call('qemu', 's390_init_ap', `${guest}: ap-bridge, ap-bus (max_dev 1)`, '');
  }
  if (mdev) {
    const r = vfioApRealize(u, p, mdev);
    if (!r.ok && u.k.crashed) return r;
    if (!r.ok) {
      // QEMU exits when a -device fails to realize.
      vmmExit(u, p);
      return r;
    }
  }
  return ok(p);
}

/**
 * vfio_ap_realize (hw/vfio/ap.c) on the ap-bus: the bus must exist (model has `ap`) and be empty
 * (max_dev 1); the mdev must exist; then vfio_get_group (group added to the KVM-VFIO device) and
 * vfio_get_device (open).
 */
export function vfioApRealize(u: Userspace, p: VmmProcess, mdev: string): Outcome {
  if (!p.apBridge) {
    if (u.k.trace.recording) u.k.trace.call('qemu', 'qdev_device_add', `${p.guest}: vfio-ap`, "no 'ap-bus' (CPU model without ap)");
    return qemuFail(`qemu-system-s390x: -device vfio-ap,sysfsdev=${mdev}: No 'ap-bus' bus found for device 'vfio-ap' (the CPU model has ap=off)`);
  }
  if (p.vfioApDevice) {
    if (u.k.trace.recording) u.k.trace.call('qemu', 'qdev_device_add', `${p.guest}: vfio-ap ${mdev}`, `ap-bus full (has ${p.vfioApDevice})`);
    return qemuFail(`Bus 'ap-bus' is full: ${p.guest} already has vfio-ap device ${p.vfioApDevice} (one vfio-ap device per guest)`);
  }
  const m = findMdev(u, mdev);
  if (!m) {
    if (u.k.trace.recording) u.k.trace.call('qemu', 'vfio_ap_get_group', `${p.guest}: ${mdev}`, 'no such mdev');
    return qemuFail(`vfio-ap: no such host device: /sys/bus/mdev/devices/${mdev}`);
  }
  const r = vmmOpenMdev(u, p, m);
  const crashed = hostCrashed(u);
  if (crashed) return crashed;
  if (!r.ok) {
    u.kvm.vfioGroupDel(p.vm, mdev);
    if (u.k.trace.recording) u.k.trace.call('qemu', 'vfio_get_device', `${p.guest}: ${mdev}`, `-${r.errno ?? 'error'}`);
    return qemuFail(`vfio-ap ${mdev}: error getting device from group: ${r.message}`);
  }
  p.vfioApDevice = mdev;
  if (u.k.trace.recording) u.k.trace.call('qemu', 'vfio_ap_realize', `${p.guest}: ${mdev}`, '0');
  return OK;
}

/** `device_add vfio-ap,sysfsdev=...` on a running guest. */
export function qemuDeviceAdd(u: Userspace, p: VmmProcess, mdev: string): Outcome {
  if (p.kind !== 'qemu') return qemuFail(`${p.guest} is not a QEMU guest`);
  return vfioApRealize(u, p, mdev);
}

/** `device_del`: vfio_ap_unrealize -> close the device fd (release), drop the group from the KVM. */
export function qemuDeviceDel(u: Userspace, p: VmmProcess, mdev: string): Outcome {
  if (p.vfioApDevice !== mdev) return qemuFail(`Device '${mdev}' not found in ${p.guest}`);
  const m = findMdev(u, mdev);
  if (m) {
    const closed = vmmCloseMdev(u, p, m);
    if (!closed.ok && u.k.crashed) return closed;
  }
  p.openDevices.delete(mdev);
  u.kvm.vfioGroupDel(p.vm, mdev);
  p.vfioApDevice = null;
  if (u.k.trace.recording) u.k.trace.call('qemu', 'vfio_ap_unrealize', `${p.guest}: ${mdev}`, '0');
  return OK;
}

/** `system_reset`: the vfio-ap device's reset handler issues VFIO_DEVICE_RESET (result only warned). */
export function qemuSystemReset(u: Userspace, p: VmmProcess): Outcome {
  u.k.trace.call('qemu', 'qemu_system_reset', p.guest, '');
  if (p.vfioApDevice) {
    const m = findMdev(u, p.vfioApDevice);
    if (m) {
      const r = vmmResetMdev(u, m);
      if (!r.ok) u.k.trace.call('qemu', 'vfio_ap_reset', `${p.guest}: VFIO_DEVICE_RESET`, `warning: ${r.errno}`);
    }
  }
  return OK;
}

export function qemuShutdown(u: Userspace, p: VmmProcess): Outcome {
  p.vfioApDevice = null;
  return vmmExit(u, p);
}
