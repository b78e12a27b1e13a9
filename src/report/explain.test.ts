import { describe, expect, it } from 'vitest';
import { formatEvent, type TraceEvent } from '../sim/trace';
import { classifyTraceLine, parseTraceAttachment } from './explain';

// The HTML classifies stored lines instead of storing events twice; these pin the line shapes
// formatEvent produces, so a change there shows up here and not as a silently grey report.
describe('classifyTraceLine', () => {
  const cases: [TraceEvent, string, string][] = [
    [{ type: 'call', layer: 'ap-bus', fn: 'ap_bus_match', detail: '05.0004', outcome: '0' }, 'ap-bus', 'call'],
    [{ type: 'decision', layer: 'vfio-ap', fn: 'vfio_ap_mdev_group_notifier', point: 'vfio_ap.open.validate', option: 'crycbd', branch: 'reject', detail: 'crycbd is 0', outcome: '-EOPNOTSUPP' }, 'vfio-ap', 'decision'],
    [{ type: 'vm-event', layer: 'kvm', vm: 'g1', fn: 'kvm_arch_crypto_set_masks', detail: 'SET CRYCB: apm 0x40', outcome: '' }, 'kvm', 'vm-event'],
    [{ type: 'oops', layer: 'kvm', fn: 'kvm_arch_crypto_set_masks', detail: 'NULL crycb', outcome: 'oops' }, 'kvm', 'oops'],
  ];
  for (const [event, layer, kind] of cases)
    it(`reads a ${event.type} line as layer ${layer}, kind ${kind}`, () => {
      expect(classifyTraceLine(formatEvent(event))).toMatchObject({ layer, kind });
    });

  it('marks a line of unknown shape as an unknown-layer call rather than failing', () => {
    expect(classifyTraceLine('something else')).toEqual({ layer: 'unknown', kind: 'call', text: 'something else' });
  });
});

describe('parseTraceAttachment', () => {
  it('returns undefined for a body that is not a trace', () => {
    expect(parseTraceAttachment('not json')).toBeUndefined();
    expect(parseTraceAttachment('{"policy":"v11"}')).toBeUndefined();
  });
  it('keeps only numeric decision counts', () => {
    expect(parseTraceAttachment('{"policy":"v11","events":[],"decisionsTaken":{"a=b:accept":2,"x":"y"},"oops":null}')?.decisionsTaken).toEqual({ 'a=b:accept': 2 });
  });
});
