/**
 * Decision points: the places where the 2018 review argued about what the kernel should check.
 *
 * The simulator implements Linux 4.20 as merged everywhere, except here: at each decision point it
 * asks the policy it was created with (`System.decide`). A kernel release is a policy that chooses at
 * every point; a policy with a `base` (a 2018 candidate on linux-4.20, a patch on linux-6.0) names an
 * option for the points it changes, or supplies a function written against the contexts below for a
 * new idea, and inherits the rest from its base (src/policies/index.ts resolves the chain).
 *
 * The simulator imports no policy; policies import only this file.
 */
import { ERRNOS, isErrno, type Errno } from './errno';
import { KVM_DECISION_POINTS } from './kvm-decision-points';
import { VFIO_AP_DECISION_POINTS } from './vfio-ap-decision-points';

/** Read-only facts about one VM's crypto state, as a check in vfio_ap or KVM could read them. */
export interface KvmCryptoView {
  /** The VM's name in the scenario ("g1"). */
  readonly name: string;
  /** `kvm->arch.crypto.crycbd`: CRYCB address | format; 0 when KVM allocated no CRYCB. */
  readonly crycbd: number;
  /** `kvm->arch.crypto.crycb != NULL`. */
  readonly hasCrycb: boolean;
  /** `kvm->arch.crypto.apie`. */
  readonly apie: boolean;
  /** Bit KVM_S390_VM_CPU_FEAT_AP (14) in `kvm->arch.cpu_feat` (v10 only; never set under 4.20). */
  readonly cpuFeatAp: boolean;
  /** `test_kvm_facility(kvm, nr)`: the VM's facility list. */
  hasFacility(nr: number): boolean;
}

export interface InitContext {
  /** `ap_instructions_available()` on the host (PQAP(TAPQ) on 00.0000 with exception fix-up). */
  readonly apInstructionsAvailable: boolean;
}

export interface OpenContext {
  readonly apInstructionsAvailable: boolean;
  readonly kvm: KvmCryptoView;
}

export interface CpuFeatContext {
  readonly apInstructionsAvailable: boolean;
}

/** A check's answer: accept, or reject with the errno the kernel function would return. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly errno: Errno; readonly why: string };

/** The branch a decision took: a check accepts or rejects; a shape is taken (its option is the branch). */
export type Branch = 'accept' | 'reject' | 'taken';

/**
 * A check: each option decides, from a context, whether the kernel goes on (accept) or refuses with an
 * errno (reject). The 2018 thread's points are checks.
 */
export interface CheckPointSpec<Ctx> {
  readonly kind?: 'check';
  /** The kernel function (or proposal) where the decision sits. */
  readonly fn: string;
  /** What the decision means, for reports. */
  readonly question: string;
  /** Named options: the implementations of each version from the thread. */
  readonly options: Record<string, { readonly summary: string; readonly branches: readonly ('accept' | 'reject')[]; decide(ctx: Ctx): Verdict }>;
}

/**
 * A shape: how a kernel release does one thing (where open gets its KVM, what removal does while in use,
 * the condition code of a successful AQIC ...). Each option is one released behaviour (or one a thread
 * proposed) that the simulator implements at `fn`; the layer asks `Kernel.shape(point)` and branches on
 * the option. A policy chooses a shape by name; a new behaviour needs a new option in src/sim.
 */
export interface ShapePointSpec {
  readonly kind: 'shape';
  readonly fn: string;
  readonly question: string;
  /** `source`: the kernel function and commit (or release) the option models. */
  readonly options: Record<string, { readonly summary: string; readonly source: string }>;
}

export const ACCEPT: Verdict = Object.freeze({ ok: true });

/**
 * The decision points of the thread (spec/policies.md). `satisfies` keeps the option names as
 * literal types so a policy naming an unknown option does not compile.
 */
export const DECISION_POINTS = {
  'vfio_ap.init': {
    fn: 'vfio_ap_init',
    question: 'May the vfio_ap module load on this host?',
    options: {
      none: {
        summary: 'no check (v10 04/26): the module loads even without AP instructions',
        branches: ['accept'],
        decide: () => ACCEPT,
      },
      'ap-instructions': {
        summary: '-ENODEV unless ap_instructions_available() (v11 04/26, merged in 4.20)',
        branches: ['accept', 'reject'],
        decide: (ctx: InitContext): Verdict =>
          ctx.apInstructionsAvailable
            ? ACCEPT
            : { ok: false, errno: 'ENODEV', why: 'ap_instructions_available() is false: the host has no AP instructions' },
      },
    },
  } satisfies CheckPointSpec<InitContext>,
  'vfio_ap.open.validate': {
    fn: 'vfio_ap_mdev_group_notifier',
    question: 'Before writing the mdev matrix into the CRYCB, what must hold for the KVM?',
    options: {
      none: {
        summary: 'no check: always write the masks',
        branches: ['accept'],
        decide: () => ACCEPT,
      },
      'cpu-feat-ap': {
        summary: 'kvm_ap_validate_crypto_setup(): bit KVM_S390_VM_CPU_FEAT_AP in kvm->arch.cpu_feat, else -EOPNOTSUPP (v10 11/26)',
        branches: ['accept', 'reject'],
        decide: (ctx: OpenContext): Verdict =>
          ctx.kvm.cpuFeatAp
            ? ACCEPT
            : { ok: false, errno: 'EOPNOTSUPP', why: `CPU-model feature AP is not set for ${ctx.kvm.name}` },
      },
      apie: {
        summary: 'kvm->arch.crypto.apie, else -EOPNOTSUPP (the diff under review, 2018-09-24)',
        branches: ['accept', 'reject'],
        decide: (ctx: OpenContext): Verdict =>
          ctx.kvm.apie
            ? ACCEPT
            : { ok: false, errno: 'EOPNOTSUPP', why: `kvm->arch.crypto.apie is 0 for ${ctx.kvm.name}` },
      },
      'ap-instructions-and-crycb': {
        summary: "ap_instructions_available() and a CRYCB (kvm->arch.crypto.crycb != NULL), else -EOPNOTSUPP (David Hildenbrand's proposal)",
        branches: ['accept', 'reject'],
        decide: (ctx: OpenContext): Verdict => {
          if (!ctx.apInstructionsAvailable)
            return { ok: false, errno: 'EOPNOTSUPP', why: 'ap_instructions_available() is false' };
          if (!ctx.kvm.hasCrycb)
            return { ok: false, errno: 'EOPNOTSUPP', why: `${ctx.kvm.name} has no CRYCB` };
          return ACCEPT;
        },
      },
      // Reference §5.3 (open question): the thread took "a CRYCB exists" to mean "the guest has
      // MSAX3", which holds for the vcpu's sie_block->crycbd, not for kvm->arch.crypto.crycbd. The
      // merged code tests the VM-level field, and so does this option; under 4.20's KVM it is never 0.
      crycbd: {
        summary: 'kvm->arch.crypto.crycbd != 0, else no masks (v11 11/26, merged in 4.20)',
        branches: ['accept', 'reject'],
        decide: (ctx: OpenContext): Verdict =>
          ctx.kvm.crycbd !== 0
            ? ACCEPT
            : { ok: false, errno: 'EOPNOTSUPP', why: `kvm->arch.crypto.crycbd is 0 for ${ctx.kvm.name}` },
      },
    },
  } satisfies CheckPointSpec<OpenContext>,
  'kvm.cpu_feat_ap': {
    fn: 'kvm_s390_set_processor_feat',
    question: 'Does KVM offer the CPU-model feature AP (KVM_S390_VM_CPU_FEAT_AP) to userspace?',
    options: {
      absent: {
        summary: 'not offered (4.20: v11 removed the feature; QEMU derives ap from ENABLE_APIE)',
        branches: ['reject'],
        decide: (): Verdict => ({ ok: false, errno: 'EINVAL', why: 'KVM_S390_VM_CPU_FEAT_AP is not in kvm_s390_available_cpu_feat' }),
      },
      offered: {
        summary: 'offered iff the host has AP instructions (v10 02/26)',
        branches: ['accept', 'reject'],
        decide: (ctx: CpuFeatContext): Verdict =>
          ctx.apInstructionsAvailable
            ? ACCEPT
            : { ok: false, errno: 'EINVAL', why: 'the host has no AP instructions, so KVM does not offer feature AP' },
      },
    },
  } satisfies CheckPointSpec<CpuFeatContext>,
  ...KVM_DECISION_POINTS,
  ...VFIO_AP_DECISION_POINTS,
} as const;

export type DecisionPoint = keyof typeof DECISION_POINTS;

/** The points whose options are released behaviours (ShapePointSpec), chosen by name only. */
export type ShapePoint = { [P in DecisionPoint]: (typeof DECISION_POINTS)[P] extends { readonly kind: 'shape' } ? P : never }[DecisionPoint];
/** The points that accept or reject (CheckPointSpec); a policy may answer them with its own function. */
export type CheckPoint = Exclude<DecisionPoint, ShapePoint>;

/** The context each check point's options (and a reviewer's function) read. */
export interface ContextOf {
  'vfio_ap.init': InitContext;
  'vfio_ap.open.validate': OpenContext;
  'kvm.cpu_feat_ap': CpuFeatContext;
}

export type OptionOf<P extends DecisionPoint> = keyof (typeof DECISION_POINTS)[P]['options'] & string;

/** A reviewer's own check: a function of the point's context. Its branches are accept and reject. */
export type CustomChoice<P extends CheckPoint> = (ctx: ContextOf[P]) => Verdict;

export type Choice<P extends DecisionPoint> = P extends CheckPoint ? OptionOf<P> | CustomChoice<P> : OptionOf<P>;

export interface Policy {
  /** Short id used on the command line, in profiles and in reports (`v11`, `linux-6.0`). */
  readonly id: string;
  readonly title: string;
  /** Patch version, mail and date; for a kernel release, the release and the commits it follows. */
  readonly source: string;
  /** One paragraph: why someone argued for this (for a release: what defines its era). */
  readonly rationale: string;
  /**
   * The policy this one changes (`linux-4.20` for the 2018 candidates, `linux-6.0` for a patch on
   * 6.0). It inherits every choice it does not name. No base: a full kernel, which must choose at
   * every decision point (src/policies/index.ts checks that when it resolves the registry).
   */
  readonly base?: string;
  readonly choices: { readonly [P in DecisionPoint]?: Choice<P> };
}

/** The choices of a policy at every point: what a kernel release names, or what a base chain resolves to. */
export type CompleteChoices = { readonly [P in DecisionPoint]: Choice<P> };

/** A kernel release: no base, a choice at every decision point (checked by the compiler). */
export type KernelPolicy = Policy & { readonly base?: undefined; readonly choices: CompleteChoices };

export const DECISION_POINT_IDS = Object.keys(DECISION_POINTS) as DecisionPoint[];

/**
 * The key of one decision branch in `decisionsTaken` and in a report cell's `decisions`:
 * `vfio_ap.open.validate=crycbd:reject`. The simulator counts with it and decision coverage reads it.
 */
export function decisionKey(point: string, option: string, branch: Branch): string {
  return `${point}=${option}:${branch}`;
}

/** The option name a policy uses at a point (`custom` for a function). */
export function optionName<P extends DecisionPoint>(policy: Policy, point: P): string {
  const choice = chosen(policy, point);
  return typeof choice === 'function' ? 'custom' : String(choice);
}

/**
 * A policy's choice at a point. There is no default: a kernel release names every point, and any
 * other policy reaches the simulator resolved through its base (src/policies/index.ts getPolicy or
 * resolvePolicy), so a choice that is missing here means the policy was never resolved.
 */
function chosen(policy: Policy, point: DecisionPoint): unknown {
  const choice = policy.choices[point] as unknown;
  if (choice === undefined)
    throw new PolicyError(
      policy.id,
      point,
      policy.base === undefined
        ? 'it chooses nothing here: a kernel release (a policy without a base) chooses at every decision point, or name a base such as linux-6.0'
        : `it chooses nothing here and was not resolved through its base "${policy.base}": take it from getPolicy(id), or resolvePolicy(policy, getPolicy) for a policy outside the registry`,
    );
  return choice;
}

/** The branches a policy's option at a point can take, for decision coverage. */
export function branchesOf(policy: Policy, point: DecisionPoint): readonly Branch[] {
  if (isShapePoint(point)) return ['taken'];
  const name = optionName(policy, point);
  if (name === 'custom') return ['accept', 'reject'];
  const options = DECISION_POINTS[point].options as Record<string, { branches: readonly ('accept' | 'reject')[] }>;
  return options[name]?.branches ?? ['accept', 'reject'];
}

/**
 * The branches an option of a point can take (a custom function or an unknown option: accept and
 * reject; a shape: taken). A report uses it to tell a decision that explains a verdict from one that
 * always goes the same way (4.20's `kvm.cpu_feat_ap = absent` rejects every probe).
 */
export function optionBranches(point: string, option: string): readonly Branch[] {
  if (!Object.prototype.hasOwnProperty.call(DECISION_POINTS, point)) return ['accept', 'reject'];
  if (isShapePoint(point as DecisionPoint)) return ['taken'];
  const options = DECISION_POINTS[point as DecisionPoint].options as Record<string, { readonly branches?: readonly Branch[] }>;
  return options[option]?.branches ?? ['accept', 'reject'];
}

/** How every PolicyError message starts (src/report/collect.ts turns such a cell into `policy-error`). */
export const POLICY_ERROR_PREFIX = 'policy error:';

/** Thrown when a policy's choice throws or returns something that is not a Verdict. */
export class PolicyError extends Error {
  constructor(
    readonly policyId: string,
    readonly point: DecisionPoint,
    message: string,
  ) {
    super(`${POLICY_ERROR_PREFIX} policy "${policyId}" at decision point ${point}: ${message}`);
    this.name = 'PolicyError';
  }
}

/**
 * Evaluate a policy's choice at a point. Validates what a custom function returns so a broken policy
 * is reported as "policy error" instead of being taken as a verdict.
 */
export function evaluateChoice<P extends CheckPoint>(policy: Policy, point: P, ctx: ContextOf[P]): { option: string; verdict: Verdict } {
  const choice = chosen(policy, point);
  if (typeof choice === 'function') {
    let verdict: unknown;
    try {
      verdict = (choice as CustomChoice<P>)(ctx);
    } catch (err) {
      throw new PolicyError(policy.id, point, `its function threw: ${err instanceof Error ? String(err.message) : typeof err === 'string' ? err : describeValue(err)}`);
    }
    if (!isVerdict(verdict))
      throw new PolicyError(policy.id, point, `its function returned ${describeValue(verdict)}; expected { ok: true } or { ok: false, errno, why }`);
    if (!verdict.ok && !isErrno(verdict.errno))
      throw new PolicyError(
        policy.id,
        point,
        `its function returned the errno ${JSON.stringify(verdict.errno)}, which the simulated kernel does not know; use one of ${ERRNOS.join(', ')}`,
      );
    return { option: 'custom', verdict };
  }
  const options = DECISION_POINTS[point].options as Record<string, { decide(c: ContextOf[P]): Verdict }>;
  const option = options[choice as string];
  if (!option)
    throw new PolicyError(policy.id, point, `unknown option "${String(choice)}"; known: ${Object.keys(options).join(', ')}`);
  return { option: choice as string, verdict: option.decide(ctx) };
}

/** True for a point whose options are released behaviours (ShapePointSpec). */
export function isShapePoint(point: DecisionPoint): point is ShapePoint {
  return (DECISION_POINTS[point] as { kind?: string }).kind === 'shape';
}

/**
 * The option a policy takes at a shape point. Only named options exist there: a function, or a name
 * the point does not know, is a PolicyError that lists the options.
 */
export function evaluateShape<P extends ShapePoint>(policy: Policy, point: P): OptionOf<P> {
  const choice = chosen(policy, point);
  const options = (DECISION_POINTS[point as DecisionPoint] as { readonly options: Record<string, unknown> }).options;
  if (typeof choice !== 'string' || !Object.prototype.hasOwnProperty.call(options, choice))
    throw new PolicyError(
      policy.id,
      point,
      `${typeof choice === 'function' ? 'a function' : `"${String(choice)}"`} is not an option here: ${point} is a kernel behaviour, chosen by name (${Object.keys(options).join(', ')}); a new behaviour needs a new option in src/sim`,
    );
  return choice as OptionOf<P>;
}

/**
 * What a policy function returned or threw, for its PolicyError: JSON where JSON can say it, and a
 * description where it cannot (a cyclic object, a BigInt, a symbol, an object without a prototype),
 * so that the error about a broken policy never becomes an error of its own.
 */
function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `the BigInt ${v.toString()}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return `a ${typeof v}`;
  if (v === undefined) return 'undefined';
  try {
    const text = JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return typeof v === 'object' && v !== null ? 'an object JSON cannot show (cyclic, or holding a BigInt)' : typeof v;
  }
}

function isVerdict(v: unknown): v is Verdict {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; errno?: unknown; why?: unknown };
  if (r.ok === true) return true;
  return r.ok === false && typeof r.errno === 'string' && typeof r.why === 'string';
}
