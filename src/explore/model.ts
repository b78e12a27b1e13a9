/**
 * The explorer's model: a simplification of the stack, holding only what the invariants need (which
 * mdev each guest holds and is associated with, whether the VMM asked for APIE, the host's facts)
 * and what the commands need to skip operations that certainly change nothing. It never calls
 * simulator code: commands update it from the outcomes they observe.
 */

export interface MdevModel {
  readonly apm: number[];
  readonly aqm: number[];
  readonly adm: number[];
  /** The guest whose VMM holds the device fd open. */
  openBy?: string;
  /** The guest whose VMM holds the VFIO group (added to its KVM): exclusive, like the group fd. */
  group?: string;
  /** The VMM took the group out of its KVM-VFIO device again (KVM_DEV_VFIO_GROUP_DEL), keeping the group fd. */
  groupOut?: boolean;
  /** matrix_mdev->kvm as vfio_ap sets it on open (before any policy check), cleared on release. */
  kvm?: string;
  /** Whether the guest's APIE was on when the mdev was associated with it. */
  apieAtOpen?: boolean;
}

export interface GuestModel {
  readonly kind: 'qemu' | 'minimal';
  /** The -cpu argument of a QEMU guest. */
  readonly cpuModel?: string;
  /** What the VMM asked for: QEMU's model with ap (on a host with AP instructions), or ENABLE/DISABLE_APIE. */
  apie: boolean;
  /** The VMM set the CPU-model feature AP successfully. */
  cpuFeatAp: boolean;
  /** The VMM already tried to set the CPU-model feature AP (it fails once vcpus exist). */
  cpuFeatTried: boolean;
  /** QEMU's vfio-ap device. */
  vfioApDevice?: string;
}

export interface Model {
  /** Operations so far (the host-phase commands need to know they come first). */
  steps: number;
  /**
   * The kernel lets the administrator (un)assign while a guest uses the mdev, and pushes the change
   * to the guest (Linux 6.0 dynamic configuration: the shadow APCB, hot plug and unplug). Asked of
   * the simulator's `vfio_ap.matrix` decision point once, at the start: before 6.0 every store is
   * EBUSY while a KVM is attached, so the commands skip it there as a certain no-op.
   */
  readonly hotPlug: boolean;
  /**
   * KVM handles an intercepted PQAP(AQIC) in the kernel (5.3+, decision point `kvm.handle_pqap`).
   * Before that the intercept exits to QEMU, which injects an operation exception and changes
   * nothing: the AQIC commands skip it there.
   */
  readonly aqicInKernel: boolean;
  /**
   * vfio_ap learns the KVM from the group (the SET_KVM notifier, up to 5.18): taking the group out of
   * the KVM sets matrix_mdev->kvm to NULL while the device stays open. From 5.19 an open device keeps
   * its KVM until it is closed (decision point `vfio_ap.open_device`).
   */
  readonly kvmFollowsGroup: boolean;
  /** No kernel operation ran yet: host facts may still be chosen. Bit i: host command of rank i ran. */
  hostPhase: boolean;
  hostChoices: number;
  apInstructions: boolean;
  msax3: boolean;
  apxa: boolean;
  crycbOnlyWithMsax3: boolean;
  vfioLoaded: boolean;
  /** Adapters currently out of the AP bus apmask. */
  reserved: number[];
  /** Domains currently out of the AP bus aqmask (a queue is the default drivers' iff in both masks). */
  reservedDomains: number[];
  mdevs: Record<string, MdevModel>;
  guests: Record<string, GuestModel>;
  /** How many distinct mdev / guest names were ever used (names are taken in order: symmetry). */
  mdevsUsed: number;
  guestsUsed: number;
}

/** What the model asks of the kernel's decision points once (src/explore/run.ts). */
export interface KernelTraits {
  readonly hotPlug: boolean;
  readonly aqicInKernel: boolean;
  readonly kvmFollowsGroup: boolean;
}

export function initialModel(reserved: readonly number[], traits: KernelTraits = { hotPlug: false, aqicInKernel: false, kvmFollowsGroup: true }, reservedDomains: readonly number[] = []): Model {
  return {
    steps: 0,
    ...traits,
    hostPhase: true,
    hostChoices: 0,
    apInstructions: true,
    msax3: true,
    apxa: true,
    crycbOnlyWithMsax3: false,
    vfioLoaded: false,
    reserved: [...reserved],
    reservedDomains: [...reservedDomains],
    mdevs: {},
    guests: {},
    mdevsUsed: 0,
    guestsUsed: 0,
  };
}

export function cloneModel(m: Model): Model {
  const mdevs: Record<string, MdevModel> = {};
  for (const [k, v] of Object.entries(m.mdevs)) mdevs[k] = { ...v, apm: [...v.apm], aqm: [...v.aqm], adm: [...v.adm] };
  const guests: Record<string, GuestModel> = {};
  for (const [k, v] of Object.entries(m.guests)) guests[k] = { ...v };
  return { ...m, reserved: [...m.reserved], reservedDomains: [...m.reservedDomains], mdevs, guests };
}

/** The model's part of a search state's key (steps and hostPhase excluded: they follow from the rest). */
export function modelKey(m: Model): string {
  const mdevs = Object.keys(m.mdevs)
    .sort()
    .map((k) => {
      const v = m.mdevs[k]!;
      return `${k}:${v.apm}/${v.aqm}/${v.adm}/${v.openBy ?? ''}/${v.group ?? ''}${v.groupOut ? '-' : ''}/${v.kvm ?? ''}/${v.apieAtOpen ?? ''}`;
    });
  const guests = Object.keys(m.guests)
    .sort()
    .map((k) => {
      const g = m.guests[k]!;
      return `${k}:${g.kind}/${g.cpuModel ?? ''}/${+g.apie}${+g.cpuFeatAp}${+g.cpuFeatTried}/${g.vfioApDevice ?? ''}`;
    });
  return `${+m.hostPhase}${m.hostChoices} ${+m.vfioLoaded} ${m.reserved}/${m.reservedDomains} ${mdevs.join(';')} ${guests.join(';')} ${m.mdevsUsed}${m.guestsUsed}`;
}

/** The guest an mdev is associated with, if its VMM holds it open. */
export function associatedMdevs(m: Model, guest: string): string[] {
  return Object.keys(m.mdevs).filter((k) => m.mdevs[k]!.kvm === guest && m.mdevs[k]!.openBy === guest);
}

/** Mark every mdev a guest held as released (close, unplug, shutdown). */
export function releaseMdev(m: Model, name: string): void {
  const d = m.mdevs[name];
  if (!d) return;
  delete d.openBy;
  delete d.kvm;
  delete d.apieAtOpen;
}

/** vfio_ap's association on open: matrix_mdev->kvm is set unless another mdev has this guest's KVM. */
export function openedMdev(m: Model, name: string, guest: string): void {
  const d = m.mdevs[name]!;
  d.openBy = guest;
  d.group = guest;
  delete d.groupOut;
  const taken = Object.keys(m.mdevs).some((k) => k !== name && m.mdevs[k]!.kvm === guest);
  if (!taken) {
    d.kvm = guest;
    d.apieAtOpen = m.guests[guest]!.apie;
  }
}

/** Whether the AP bus gives a queue to the host's default drivers (its adapter in apmask and its domain in aqmask). */
export function hostOwns(m: Readonly<Model>, apid: number, apqi: number): boolean {
  return !m.reserved.includes(apid) && !m.reservedDomains.includes(apqi);
}
