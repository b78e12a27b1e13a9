/**
 * The explorer under the kernel policies (issue 10), its longest search: breadth-first to depth 7
 * under linux-6.0 for the AQIC counterexample. A file of its own, so vitest runs it beside the
 * other kernel searches (kernels.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { getPolicy } from '../policies';
import { alphabet } from './arbitraries';
import { bfs } from './bfs';
import { getInvariants } from './invariants';
import { replayScenario } from './run';
import { DEFAULT_WORLD } from './world';

const search = (policy: string, invariant: string, depth: number) =>
  bfs({ policy: getPolicy(policy), world: DEFAULT_WORLD, alphabet: alphabet(DEFAULT_WORLD), invariants: getInvariants([invariant]), depth }).counterexamples.get(invariant);

describe('what the kernels\' invariants find', { timeout: 300_000 }, () => {
  it('6.0 sends a guest\'s AQIC to a refused second mdev\'s hook (7 steps); linux-latest refuses before storing the hook', () => {
    const c = search('linux-6.0', 'aqic-reaches-its-mdev', 7);
    expect(c?.path.map(String)).toContain('When the VMM opens mediated device "m2" for "g1"');
    expect(replayScenario(getPolicy('linux-6.0'), DEFAULT_WORLD, c!.path, c!.violation.then).passes).toBe(false);
    expect(replayScenario(getPolicy('linux-latest'), DEFAULT_WORLD, c!.path, c!.violation.then).passes).toBe(true);
  });
});
