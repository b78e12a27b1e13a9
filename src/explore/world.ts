/**
 * The explorer's world: the fixed host every explored scenario starts from, and the names its
 * operations use. A scenario prints as the world's lines, then one step per operation.
 *
 * Default: adapters 2 and 3 with usage domains 4 and 5 (four queues), both adapters reserved for
 * pass-through, mediated devices m1 and m2, guests g1 and g2.
 */
import { apqn, type Apqn, type Policy, createSystem, type System } from '../sim/api';

export interface World {
  readonly adapters: readonly number[];
  readonly domains: readonly number[];
  /** Adapters the world reserves for pass-through (removed from the AP bus apmask). */
  readonly reserved: readonly number[];
  readonly mdevs: readonly string[];
  readonly guests: readonly string[];
}

export const DEFAULT_WORLD: World = { adapters: [2, 3], domains: [4, 5], reserved: [2, 3], mdevs: ['m1', 'm2'], guests: ['g1', 'g2'] };

/** "2", "2 and 3", "2, 3 and 4": how the step vocabulary's {ids} lists read. */
export function formatIdList(ids: readonly number[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

export const HOST_LINE = 'Given an s390 host';
export const HOST_WITHOUT_AP_LINE = 'Given an s390 host without AP instructions';

/** The world's lines after the host line (each an exact step of the vocabulary). */
export function worldLines(w: World): string[] {
  const lines = [`Given the host's AP configuration has adapters ${formatIdList(w.adapters)} and domains ${formatIdList(w.domains)}`];
  if (w.reserved.length) lines.push(`Given adapters ${formatIdList(w.reserved)} are reserved for pass-through`);
  return lines;
}

/** Every APQN of the world's configuration, in APQN order. */
export function worldApqns(w: World): Apqn[] {
  const out: Apqn[] = [];
  for (const a of [...w.adapters].sort((x, y) => x - y)) for (const d of [...w.domains].sort((x, y) => x - y)) out.push(apqn(a, d));
  return out;
}

export interface NewSystemOptions {
  readonly apInstructions?: boolean;
  readonly trace?: boolean;
}

/** A System in the world's initial state, as its lines build it. */
export function worldSystem(policy: Policy, w: World, options: NewSystemOptions = {}): System {
  const sys = createSystem({ policy, trace: options.trace ?? false });
  if (options.apInstructions === false) sys.host.removeApInstructions();
  sys.host.configure(w.adapters, w.domains);
  if (w.reserved.length) {
    const r = sys.apBus.reserveForPassThrough('apmask', w.reserved);
    if (!r.ok) throw new Error(`the explorer's world could not reserve adapters ${w.reserved.join(',')}: ${r.message}`);
  }
  return sys;
}
