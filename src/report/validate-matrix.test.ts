import { describe, expect, it } from 'vitest';
import { MatrixFormatError, parseMatrix, serializeMatrix } from './matrix';
import { sample } from './__test__/sample-report';
import type { MatrixReport } from './types';

const good = (): MatrixReport => JSON.parse(serializeMatrix(sample())) as MatrixReport;
type Mutable = { [k: string]: any };

function withChange(change: (r: Mutable) => void): string {
  const r = good() as unknown as Mutable;
  change(r);
  return JSON.stringify(r);
}

describe('parseMatrix (merge input is untrusted)', () => {
  it('reads back what serializeMatrix wrote', () => {
    expect(parseMatrix(serializeMatrix(sample()), 'a.json')).toEqual(good());
  });

  it.each([
    ['a status that is no status (it would become a CSS class)', (r: Mutable) => (r.scenarios[0].results.v10.status = '"><script>alert(1)</script>'), /results\["v10"\]\.status .* is not one of/],
    ['a name that is not text', (r: Mutable) => (r.scenarios[0].name = { toString: 1 }), /scenarios\[0\]\.name is not text/],
    ['a step list that is not text', (r: Mutable) => (r.scenarios[0].steps = [1]), /scenarios\[0\]\.steps is not a list of text/],
    ['an id that is not <uri>:<line>', (r: Mutable) => (r.scenarios[0].id = 'thread/r1.feature » R1'), /id is not "<uri>:<line>"/],
    ['the same row twice', (r: Mutable) => r.scenarios.push(r.scenarios[0]), /appears twice/],
    ['an event of an unknown type', (r: Mutable) => (r.scenarios[0].results.v10.steps[0].events[0].type = 'html'), /steps\[0\]\.events\[0\]: unknown event type "html"/],
    ['cell steps that do not match the row', (r: Mutable) => r.scenarios[0].results.v10.steps.pop(), /steps is not a list of 3 steps/],
    ['a cell under a policy the file does not list', (r: Mutable) => (r.scenarios[0].results.ghost = { status: 'passed' }), /names policy "ghost"/],
    ['a policy title that is not text', (r: Mutable) => (r.policies[0].title = ['x']), /policies\[0\]\.title is not text/],
    ['a coverage branch that is no branch', (r: Mutable) => (r.coverage[0].points[0].branches[0].branch = '<b>'), /branches\[0\] is not/],
  ])('refuses %s, naming the field', (_what, change, message) => {
    expect(() => parseMatrix(withChange(change), 'shard.json')).toThrow(MatrixFormatError);
    expect(() => parseMatrix(withChange(change), 'shard.json')).toThrow(message);
  });

  it('refuses a file of format version 1 with what to do', () => {
    expect(() => parseMatrix(withChange((r) => (r.formatVersion = 1)), 'old.json')).toThrow(/formatVersion 1: written by another apspec version; run the shards again/);
  });
});
