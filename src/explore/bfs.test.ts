import { describe, expect, it } from 'vitest';
import { getPolicy } from '../policies';
import { alphabet } from './arbitraries';
import { bfs } from './bfs';
import { getInvariants } from './invariants';
import { replayScenario } from './run';
import { DEFAULT_WORLD } from './world';

// Each search runs once per file: the replay test below reuses the searches the tests above made
// (a search is deterministic, so a second run would find the same path).
const searches = new Map<string, ReturnType<typeof bfs>>();
const searchAll = (policy: string, invariants: readonly string[], depth = 6) => {
  const key = `${policy}|${invariants.join(',')}|${depth}`;
  let r = searches.get(key);
  if (!r) searches.set(key, (r = bfs({ policy: getPolicy(policy), world: DEFAULT_WORLD, alphabet: alphabet(DEFAULT_WORLD), invariants: getInvariants(invariants), depth })));
  return r;
};
const search = (policy: string, invariant: string, depth = 6) => searchAll(policy, [invariant], depth).counterexamples.get(invariant);

describe('breadth-first search finds the known counterexamples', { timeout: 300_000 }, () => {
  it('R3 under v10-apie (APIE enabled after open), in at most 6 steps', () => {
    const c = search('v10-apie', 'R3');
    expect(c).toBeDefined();
    expect(c!.path.length).toBeLessThanOrEqual(6);
    expect(c!.path.map(String)).toContain('When the VMM enables APIE for "g1"');
  });

  it('R4 under v10 (a minimal VMM without the CPU-model feature AP)', () => {
    const c = search('v10', 'R4');
    expect(c).toBeDefined();
    expect(c!.path.map(String)).toContain('Given a guest "g1" started by a minimal VMM');
  });

  it('a host crash under unchecked on the pre-4.20 KVM', () => {
    const c = search('unchecked', 'host-never-crashes');
    expect(c).toBeDefined();
    expect(c!.path.map(String)).toContain("Given the host's KVM allocates a CRYCB only for guests with MSAX3");
  });

  it('R1 under v10 in two steps, and none under v11', () => {
    expect(search('v10', 'R1')!.path).toHaveLength(2);
    expect(search('v11', 'R1', 4)).toBeUndefined();
  });

  it('no R3 or R4 counterexample under v11 within depth 6', () => {
    // One exhaustive search checks both: which states bfs visits does not depend on the
    // invariants (only stopping once every invariant has a counterexample does, and none has one).
    const r = searchAll('v11', ['R3', 'R4']);
    expect(r.complete).toBe(true);
    expect(r.counterexamples.get('R3')).toBeUndefined();
    expect(r.counterexamples.get('R4')).toBeUndefined();
  });

  it('each counterexample fails on replay under its policy (its Then-steps express the violation)', () => {
    for (const [policy, inv] of [['v10-apie', 'R3'], ['v10', 'R4'], ['unchecked', 'host-never-crashes']] as const) {
      const c = search(policy, inv)!;
      expect(replayScenario(getPolicy(policy), DEFAULT_WORLD, c.path, c.violation.then).passes).toBe(false);
      expect(replayScenario(getPolicy('v11'), DEFAULT_WORLD, c.path, c.violation.then).passes).toBe(true);
    }
  });
});

describe('the memory bound', () => {
  it('stops a search whose memory is over budget, reports why, and keeps the counterexamples found before', () => {
    let checks = 0;
    // Over budget from the third check on: R1 under v10 (two steps) is found before that.
    const r = bfs({
      policy: getPolicy('v10'),
      world: DEFAULT_WORLD,
      alphabet: alphabet(DEFAULT_WORLD),
      invariants: getInvariants(['R1', 'R3']),
      depth: 1000,
      memoryExceeded: () => ++checks > 2,
    });
    expect(r.complete).toBe(false);
    expect(r.stoppedBy).toBe('memory');
    expect(r.counterexamples.get('R1')?.path).toHaveLength(2);
    expect(r.depthReached).toBeLessThan(1000);
  });

  it('a search within its bound is complete and names no reason', () => {
    const r = bfs({ policy: getPolicy('v11'), world: DEFAULT_WORLD, alphabet: alphabet(DEFAULT_WORLD), invariants: getInvariants(['R1']), depth: 2, memoryExceeded: () => false });
    expect(r.complete).toBe(true);
    expect(r.stoppedBy).toBeUndefined();
  });
});
