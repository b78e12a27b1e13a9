/**
 * QEMU's s390x CPU model as `-cpu host,<feat>=on|off` gives it (target/s390x/cpu_models.c; QEMU 3.1
 * AP series, reference §1.6). Only the features AP pass-through cares about are modelled.
 */
import { FAC_APFT, FAC_AQIC, FAC_MSAX3, FAC_QCI } from '../firmware/facilities';

export const CPU_FEATURES = ['ap', 'apqci', 'apft', 'apqi', 'msa3'] as const;
export type CpuFeature = (typeof CPU_FEATURES)[number];

/** The STFLE facility behind each feature; `ap` is a misc feature, not a facility bit. */
export const FEATURE_FACILITY: Readonly<Record<Exclude<CpuFeature, 'ap'>, number>> = {
  apqci: FAC_QCI,
  apft: FAC_APFT,
  apqi: FAC_AQIC,
  msa3: FAC_MSAX3,
};

export interface CpuModelSpec {
  readonly name: string;
  /** Features explicitly switched on or off on the command line. */
  readonly explicit: ReadonlyMap<CpuFeature, boolean>;
}

export type ParsedCpuModel = { readonly ok: true; readonly spec: CpuModelSpec } | { readonly ok: false; readonly error: string };

/** Parse `host,ap=off,msa3=off` the way QEMU's `-cpu` option does (name, then prop=value pairs). */
export function parseCpuModel(text: string): ParsedCpuModel {
  const [name, ...props] = text.split(',');
  if (name !== 'host')
    return { ok: false, error: `unable to find CPU model '${name}' (apspec models only '-cpu host')` };
  const explicit = new Map<CpuFeature, boolean>();
  for (const prop of props) {
    const m = /^([a-z0-9_-]+)=(on|off)$/.exec(prop);
    if (!m) return { ok: false, error: `invalid CPU property '${prop}' (expected <feature>=on|off)` };
    if (!(CPU_FEATURES as readonly string[]).includes(m[1]!))
      return { ok: false, error: `Property '.${m[1]}' not found (known AP-related features: ${CPU_FEATURES.join(', ')})` };
    explicit.set(m[1] as CpuFeature, m[2] === 'on');
  }
  return { ok: true, spec: { name, explicit } };
}

/** Which features the host model offers, as QEMU learns them from KVM. */
export interface HostModelFeatures {
  has(feature: CpuFeature): boolean;
}

export type ResolvedCpuModel =
  | { readonly ok: true; readonly features: ReadonlySet<CpuFeature>; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/**
 * Resolve a spec against the host model: `host` starts from every available feature; a feature
 * switched on that the host model lacks stops QEMU; check_consistency only warns ("'apqci' requires
 * 'ap'"); there is no dependency of `ap` on msa3.
 */
export function resolveCpuModel(spec: CpuModelSpec, host: HostModelFeatures): ResolvedCpuModel {
  const features = new Set<CpuFeature>();
  for (const f of CPU_FEATURES) if (host.has(f)) features.add(f);
  const missing: string[] = [];
  for (const [f, on] of spec.explicit) {
    if (!on) features.delete(f);
    else if (!host.has(f)) missing.push(f);
    else features.add(f);
  }
  if (missing.length)
    return { ok: false, error: `Some features requested in the CPU model are not available in the configuration: ${missing.join(' ')}` };
  const warnings: string[] = [];
  for (const f of ['apqci', 'apft', 'apqi'] as const)
    if (features.has(f) && !features.has('ap')) warnings.push(`'${f}' requires 'ap'`);
  return { ok: true, features, warnings };
}
