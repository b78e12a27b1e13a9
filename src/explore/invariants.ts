/**
 * The properties the explorer checks after every step. Each has a name, a plain-language statement,
 * whether it is a generic kernel invariant or one of the thread's requirements (R1-R5 of
 * spec/policies.md), and how a violation is written as Then-steps of the vocabulary.
 *
 * They read the System only through its API (inspect, guest, vfioAp, oops) and take their
 * expectations from the model (which mdev a guest holds, what the VMM asked for), never from the
 * policy: an expectation derived from the policy would test the simulator against itself.
 *
 * Which are kernel requirements and which would be artefacts (see the README of src/explore):
 * - "sees exactly" judges guests whose VMM asked for APIE; with APIE off the guest sees nothing by
 *   design, and a guest without APFT cannot scan, so queues are judged with TAPQ, not the AP bus scan.
 * - The intercept half of R2 is its own invariant (apie-off-intercepts): it is about KVM, which no
 *   vfio_ap policy changes, while R2 proper judges the open-time decision.
 * - R3 fires only if APIE was off when the mdev was associated and is on now (the moving target).
 * - R4 fires only for a minimal VMM that had APIE on at open (else it would be R3 again).
 * - The kernels' invariants (issue 10): "sees exactly" reads the mdev's matrix as it is now, so on a
 *   kernel that hot-plugs by (un)assign (6.0) it is the shadow APCB's promise; "aqic-reaches-its-mdev"
 *   judges only guests KVM gave facility 65 (5.3+), so 4.20 is not judged for an instruction its
 *   guests do not have; "host-and-guest-never-share-a-queue" is 4.20's documented limitation (DOC18),
 *   which 6.0 closes with EBUSY.
 */
import { apidOf, apqiOf, type Apqn, FAC_APFT, FAC_AQIC, formatApqn } from '../sim/api';
import {
  apIntercepted,
  crycbMasks,
  hostNotCrashed,
  lastFailsWith,
  lastInstructionCompletes,
  queueBoundToVfioAp,
  seesQueues,
  tapqResponse,
  vfioApNotLoaded,
  type Assertion,
  type ExpectedMasks,
} from './assertions';
import { associatedMdevs, hostOwns, type Model } from './model';
import type { Real } from './real';
import { worldApqns } from './world';

export interface Violation {
  readonly invariant: string;
  /** What went wrong, in a sentence. */
  readonly message: string;
  /** The Then-steps that express the invariant for this state (they fail under the policy). */
  readonly then: readonly Assertion[];
}

export interface Invariant {
  readonly name: string;
  readonly statement: string;
  readonly kind: 'kernel' | 'requirement';
  /** `state`: judged on each new state; `transition`: on every step (it reads the last action). */
  readonly scope: 'state' | 'transition';
  check(m: Readonly<Model>, r: Real): Violation | undefined;
}

const CRYCB_WRITERS = new Set(['kvm_arch_crypto_set_masks', 'kvm_arch_crypto_clear_masks']);

/** Whether KVM gave the guest's VM a CRYCB at all (pre-4.20 KVM: only with MSAX3 in the initial list). */
function hasCrycb(m: Readonly<Model>): boolean {
  return !(m.crycbOnlyWithMsax3 && !m.msax3);
}

/** The APQNs a guest's associated, open mdevs give it, as its CRYCB format holds them. */
export function expectedQueues(m: Readonly<Model>, r: Real, guest: string): Apqn[] {
  if (!m.apInstructions || !hasCrycb(m)) return [];
  const format2 = m.msax3 && m.apxa;
  const out = new Set<Apqn>();
  for (const name of associatedMdevs(m as Model, guest)) {
    const d = m.mdevs[name]!;
    for (const q of worldApqns(r.world))
      if (d.apm.includes(apidOf(q)) && d.aqm.includes(apqiOf(q)) && (format2 || (apidOf(q) <= 63 && apqiOf(q) <= 15))) out.add(q);
  }
  return [...out].sort((a, b) => a - b);
}

/** The masks vfio_ap should have written for a guest: its associated open mdev's matrix, or nothing. */
function expectedMasks(m: Readonly<Model>, guest: string): ExpectedMasks {
  const names = associatedMdevs(m as Model, guest);
  const d = names.length ? m.mdevs[names[0]!]! : undefined;
  return { apm: d?.apm ?? [], aqm: d?.aqm ?? [], adm: d?.adm ?? [] };
}

/** The world's APQNs the guest can use: TAPQ completes with response code 0x00. */
/** What a guest should use (from the model) and what it can use (TAPQ on the real system). */
function queueView(m: Readonly<Model>, r: Real, guest: string): { expected: Apqn[]; actual: Apqn[]; missing: Apqn | undefined } {
  const expected = expectedQueues(m, r, guest);
  const actual = usableQueues(r, guest);
  return { expected, actual, missing: expected.find((q) => !actual.includes(q)) };
}

function usableQueues(r: Real, guest: string): Apqn[] {
  return worldApqns(r.world).filter((q) => {
    const res = r.sys.guest.execute(guest, 'PQAP(TAPQ)', q);
    return res.kind === 'completed' && res.rc === 0;
  });
}

/** The Then-steps saying "this guest uses exactly these queues": a scan if it can scan, else one TAPQ. */
function queueAssertions(r: Real, guest: string, expected: readonly Apqn[], actual: readonly Apqn[]): Assertion[] {
  if (r.sys.inspect.guestHasFacility(guest, FAC_APFT)) return [seesQueues(guest, expected)];
  const missing = expected.find((q) => !actual.includes(q));
  if (missing !== undefined) return [tapqResponse(guest, missing, 0x00)];
  const extra = actual.find((q) => !expected.includes(q));
  return extra !== undefined ? [tapqResponse(guest, extra, 0x01)] : [];
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const fmt = (qs: readonly Apqn[]) => (qs.length ? qs.map((q) => `${apidOf(q).toString(16).padStart(2, '0')}.${apqiOf(q).toString(16).padStart(4, '0')}`).join(' ') : 'none');
const alive = (r: Real) => r.sys.oops === undefined;

export const INVARIANTS: readonly Invariant[] = [
  {
    name: 'host-never-crashes',
    statement: 'No sequence of administrator, VMM and guest actions crashes the host kernel.',
    kind: 'kernel',
    scope: 'state',
    check: (_m, r) =>
      r.sys.oops ? { invariant: 'host-never-crashes', message: `the host kernel crashed in ${r.sys.oops.fn}: ${r.sys.oops.detail}`, then: [hostNotCrashed()] } : undefined,
  },
  {
    name: 'guest-sees-exactly-its-mdev',
    statement:
      'A guest whose VMM asked for APIE can use exactly the APQNs of the mediated device it holds open and is associated with (as its CRYCB format holds them), and none when it holds none.',
    kind: 'kernel',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r)) return undefined;
      for (const [g, gm] of Object.entries(m.guests)) {
        if (!gm.apie) continue;
        // While the VMM holds a device open whose group it took out of the KVM, what the guest keeps
        // is each release's choice (4.20 leaves the masks, ~5.11 clears them, 5.19 keeps the KVM until
        // close): not judged until the device is closed, after which every release must agree.
        if (Object.values(m.mdevs).some((d) => d.openBy === g && d.groupOut)) continue;
        const { expected, actual } = queueView(m, r, g);
        if (!same(expected, actual))
          return { invariant: 'guest-sees-exactly-its-mdev', message: `guest ${g} (APIE on) can use ${fmt(actual)}, but its open mdev gives it ${fmt(expected)}`, then: queueAssertions(r, g, expected, actual) };
      }
      return undefined;
    },
  },
  {
    name: 'no-apqn-in-two-crycbs',
    statement: "No APQN is in two guests' CRYCBs at once.",
    kind: 'kernel',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r)) return undefined;
      const guests = Object.keys(m.guests).sort();
      for (let i = 0; i < guests.length; i++)
        for (let j = i + 1; j < guests.length; j++) {
          const a = r.sys.inspect.crycb(guests[i]!);
          const b = r.sys.inspect.crycb(guests[j]!);
          if (!a || !b) continue;
          const shared = a.apm.some((x) => b.apm.includes(x)) && a.aqm.some((x) => b.aqm.includes(x));
          if (!shared) continue;
          const then: Assertion[] = [];
          for (const g of [guests[j]!, guests[i]!]) {
            const e = expectedMasks(m, g);
            const c = r.sys.inspect.crycb(g)!;
            if (same(c.apm, e.apm) && same(c.aqm, e.aqm)) continue;
            const a2 = crycbMasks(g, e);
            if (a2) then.push(a2);
            break;
          }
          return { invariant: 'no-apqn-in-two-crycbs', message: `guests ${guests[i]} and ${guests[j]} both have adapters ${a.apm.filter((x) => b.apm.includes(x))} x domains ${a.aqm.filter((x) => b.aqm.includes(x))} in their CRYCBs`, then };
        }
      return undefined;
    },
  },
  {
    name: 'apie-off-intercepts',
    statement: 'With APIE off (as the VMM asked) every AP instruction of the guest is intercepted: ECA.28 is clear on every vcpu.',
    kind: 'kernel',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r) || !m.apInstructions) return undefined;
      for (const [g, gm] of Object.entries(m.guests))
        if (!gm.apie && r.sys.inspect.apInterpreted(g))
          return { invariant: 'apie-off-intercepts', message: `guest ${g}'s VMM turned APIE off, yet firmware interprets its AP instructions (ECA.28 still set)`, then: [apIntercepted(g)] };
      return undefined;
    },
  },
  {
    name: 'vfio-ap-needs-ap-instructions',
    statement: 'The vfio_ap module is never loaded on a host without AP instructions.',
    kind: 'kernel',
    scope: 'state',
    check: (m, r) =>
      !m.apInstructions && r.sys.vfioAp.loaded
        ? { invariant: 'vfio-ap-needs-ap-instructions', message: 'vfio_ap is loaded on a host without AP instructions', then: [vfioApNotLoaded()] }
        : undefined,
  },
  {
    name: 'host-and-guest-never-share-a-queue',
    statement:
      "A queue a guest can use is not the host's: once the administrator gives it back to the default drivers (its adapter in the AP bus apmask and its domain in aqmask), no guest can use it, so a queue a guest uses stays bound to vfio_ap.",
    kind: 'kernel',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r) || !m.apInstructions) return undefined;
      const returned = worldApqns(r.world).filter((q) => hostOwns(m, apidOf(q), apqiOf(q)));
      if (!returned.length) return undefined;
      for (const g of Object.keys(m.guests).sort()) {
        const q = usableQueues(r, g).find((x) => returned.includes(x));
        // Said from the host's side, so the scenario holds where the kernel refused the give-back (6.0: EBUSY).
        if (q !== undefined)
          return {
            invariant: 'host-and-guest-never-share-a-queue',
            message: `the administrator gave ${formatApqn(q)} back to the host's default drivers, yet guest ${g} can use it (its CRYCB has the APQN)`,
            then: [queueBoundToVfioAp(q)],
          };
      }
      return undefined;
    },
  },
  {
    name: 'aqic-reaches-its-mdev',
    statement:
      "A guest that has facility 65 and APIE on, and enables interruptions (PQAP(AQIC)) for a queue of the mdev it holds open, reaches that mdev's handler: the instruction completes with response code 0x00.",
    kind: 'kernel',
    scope: 'transition',
    check: (m, r) => {
      if (!alive(r) || r.last?.kind !== 'instruction' || !r.last.op.startsWith('aqic:')) return undefined;
      const [, g, apqnText] = r.last.op.split(':');
      const gm = g === undefined ? undefined : m.guests[g];
      if (!gm?.apie || !r.sys.inspect.guestHasFacility(g!, FAC_AQIC)) return undefined;
      const q = worldApqns(r.world).find((x) => formatApqn(x) === apqnText);
      // A queue the host took back is host-and-guest-never-share-a-queue's: vfio_ap rightly has no queue object for it.
      if (q === undefined || hostOwns(m, apidOf(q), apqiOf(q)) || !expectedQueues(m, r, g!).includes(q) || !usableQueues(r, g!).includes(q)) return undefined;
      const res = r.last.result;
      if (res.kind === 'completed' && res.rc === 0) return undefined;
      const got = res.kind === 'completed' ? `response code 0x${res.rc.toString(16).padStart(2, '0')} (cc ${res.cc})` : `a ${res.exception} exception`;
      return { invariant: 'aqic-reaches-its-mdev', message: `guest ${g} enabled interruptions for ${apqnText}, a queue of its open mdev it can use, and got ${got}`, then: [lastInstructionCompletes(0)] };
    },
  },
  {
    name: 'R1',
    statement: 'R1: vfio_ap exists to pass AP instructions through: on a host without them, loading it fails with ENODEV.',
    kind: 'requirement',
    scope: 'transition',
    check: (m, r) => {
      if (m.apInstructions || r.last?.kind !== 'outcome' || r.last.op !== 'load-vfio-ap') return undefined;
      const o = r.last.outcome;
      if (!o.ok && o.errno === 'ENODEV') return undefined;
      return { invariant: 'R1', message: `loading vfio_ap on a host without AP instructions ${o.ok ? 'succeeded' : `failed with ${o.errno ?? 'a refusal'} in ${o.fn}`}, not with ENODEV`, then: [lastFailsWith('ENODEV')] };
    },
  },
  {
    name: 'R2',
    statement: "R2: if QEMU asks for an intercept, it shall get an intercept, yet the mdev is associated: a guest with APIE off holding an mdev open has that mdev's masks in its CRYCB.",
    kind: 'requirement',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r) || !m.apInstructions) return undefined;
      for (const [g, gm] of Object.entries(m.guests)) {
        if (gm.apie || associatedMdevs(m as Model, g).length === 0) continue;
        const c = r.sys.inspect.crycb(g);
        if (!c) continue;
        const e = expectedMasks(m, g);
        if (same(c.apm, e.apm) && same(c.aqm, e.aqm)) continue;
        const a = crycbMasks(g, e);
        return { invariant: 'R2', message: `guest ${g} (APIE off) holds its mdev open, but its CRYCB has adapters ${c.apm} and domains ${c.aqm}, not ${e.apm} x ${e.aqm}`, then: a ? [a] : [] };
      }
      return undefined;
    },
  },
  {
    name: 'R3',
    statement: 'R3: APIE is a moving target: a guest holding an mdev open that had APIE off at open and has it on now can use the mdev\'s queues without reopening.',
    kind: 'requirement',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r)) return undefined;
      for (const [g, gm] of Object.entries(m.guests)) {
        if (!gm.apie) continue;
        const toggled = associatedMdevs(m as Model, g).some((d) => m.mdevs[d]!.apieAtOpen === false);
        if (!toggled) continue;
        const { expected, actual, missing } = queueView(m, r, g);
        if (missing === undefined) continue;
        return { invariant: 'R3', message: `guest ${g} enabled APIE after opening its mdev and can use ${fmt(actual)}, not ${fmt(expected)}`, then: queueAssertions(r, g, expected, actual) };
      }
      return undefined;
    },
  },
  {
    name: 'R4',
    statement: 'R4: the kernel knows nothing about userspace: a minimal VMM that enabled APIE before opening the mdev, and never set the CPU-model feature AP, can use its queues.',
    kind: 'requirement',
    scope: 'state',
    check: (m, r) => {
      if (!alive(r)) return undefined;
      for (const [g, gm] of Object.entries(m.guests)) {
        if (gm.kind !== 'minimal' || !gm.apie || gm.cpuFeatAp) continue;
        if (!associatedMdevs(m as Model, g).some((d) => m.mdevs[d]!.apieAtOpen === true)) continue;
        const { expected, actual, missing } = queueView(m, r, g);
        if (missing === undefined) continue;
        return { invariant: 'R4', message: `minimal-VMM guest ${g} (APIE on, no CPU-model feature AP) can use ${fmt(actual)}, not ${fmt(expected)}`, then: [tapqResponse(g, missing, 0x00)] };
      }
      return undefined;
    },
  },
  {
    name: 'R5',
    statement: 'R5: masks are written only where a CRYCB exists: no mdev open or release writes through a missing CRYCB (which crashes the host).',
    kind: 'requirement',
    scope: 'state',
    check: (_m, r) =>
      r.sys.oops && CRYCB_WRITERS.has(r.sys.oops.fn)
        ? { invariant: 'R5', message: `${r.sys.oops.fn} wrote through a missing CRYCB: ${r.sys.oops.detail}`, then: [hostNotCrashed()] }
        : undefined,
  },
];

export const INVARIANT_NAMES = INVARIANTS.map((i) => i.name);

export function getInvariants(names?: readonly string[]): Invariant[] {
  if (!names?.length) return [...INVARIANTS];
  return names.map((n) => {
    const inv = INVARIANTS.find((i) => i.name === n);
    if (!inv) throw new Error(`unknown invariant "${n}"; known: ${INVARIANT_NAMES.join(', ')}`);
    return inv;
  });
}
