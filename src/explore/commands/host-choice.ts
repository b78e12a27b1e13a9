import type { Model } from '../model';
import type { Real } from '../real';

/** Host facts chosen in a fixed order (rank), so that permutations of the same choices are explored once. */
export function hostChoiceEnabled(m: Readonly<Model>, rank: number): boolean {
  return m.hostChoices >> rank === 0;
}

export function chooseHost(m: Model, rank: number): void {
  m.hostChoices |= 1 << rank;
}

export type { Real };
