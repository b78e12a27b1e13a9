/**
 * One small report with every kind of row and cell, for the renderer and reader tests: a thread
 * requirement, a history requirement, a finding, a library scenario pinned to one policy, a
 * not-applicable cell, policies with and without a base, and hostile text everywhere.
 */
import type { TraceEvent } from '../../sim/trace';
import type { Cell, MatrixReport, PolicyInfo, ScenarioRow } from '../types';

export const evil = '<script>alert(1)</script>';

export const ev = {
  host: { type: 'call', layer: 'firmware', fn: 'machine', detail: 'host', outcome: '' },
  accept: { type: 'decision', layer: 'vfio-ap', fn: 'vfio_ap_init', point: 'vfio_ap.init', option: 'none', branch: 'accept', detail: '', outcome: '0' },
  reject: { type: 'decision', layer: 'vfio-ap', fn: 'vfio_ap_init', point: 'vfio_ap.init', option: 'ap-instructions', branch: 'reject', detail: '', outcome: '-ENODEV' },
  einval: { type: 'call', layer: 'ap-bus', fn: 'driver_register', detail: `bus ${evil}`, outcome: '-EINVAL' },
  enodev: { type: 'call', layer: 'vfio-ap', fn: 'vfio_ap_init', detail: 'no AP instructions', outcome: '-ENODEV' },
} satisfies Record<string, TraceEvent>;

function policy(id: string, base?: string): PolicyInfo {
  return { id, title: `title of ${id} ${evil}`, source: `s "${id}"`, rationale: `r ' ${evil}`, ...(base ? { base } : {}), choices: {} };
}

const STEPS = ['Given an s390 host', 'When the vfio_ap module is loaded', 'Then it fails with ENODEV'];

export function passed(): Cell {
  return { status: 'passed', steps: [{ status: 'passed', events: [ev.host] }, { status: 'passed', events: [ev.reject, ev.enodev] }, { status: 'passed', events: [] }] };
}

export function failed(): Cell {
  return {
    status: 'failed',
    failingStep: 'Then it fails with ENODEV',
    error: `expected ENODEV, got -EINVAL ${evil}`,
    steps: [{ status: 'passed', events: [ev.host] }, { status: 'passed', events: [ev.accept, ev.einval] }, { status: 'failed', events: [] }],
  };
}

function row(uri: string, line: number, name: string, tags: string[], results: Record<string, Cell>, feature = `F ${uri}`): ScenarioRow {
  return { id: `${uri}:${line}`, uri, feature, featureDescription: `D <img src=x onerror=alert(2)>`, featureTags: tags, tags, name, line, steps: STEPS, results };
}

export function sample(): MatrixReport {
  return {
    formatVersion: 2,
    policies: [policy('v10', 'linux-4.20'), policy('v11', 'linux-4.20'), policy('linux-4.20'), policy('linux-6.0'), policy('my-patch', 'linux-6.0')],
    scenarios: [
      row('features/thread/R1-init.feature', 14, `Loading fails ${evil}`, ['@thread', '@R1'], { v10: failed(), v11: passed(), 'linux-4.20': passed(), 'linux-6.0': passed(), 'my-patch': failed() }, 'R1 vfio_ap needs AP instructions'),
      row('features/history/open.feature', 5, 'A second mdev is refused at open', [], {
        v10: { status: 'not-applicable', reason: 'linux-4.20 has no open_device' },
        v11: { status: 'not-applicable', reason: 'linux-4.20 has no open_device' },
        'linux-4.20': { status: 'not-applicable', reason: 'linux-4.20 has no open_device' },
        'linux-6.0': passed(),
        'my-patch': passed(),
      }, 'Open refuses a second mdev'),
      row('features/findings/crash.feature', 8, 'The host crashes', ['@finding'], { v10: failed(), v11: failed(), 'linux-4.20': failed(), 'linux-6.0': failed(), 'my-patch': failed() }),
      row('features/kvm/attrs.feature', 20, 'Pinned to v10', [], {
        v10: passed(),
        v11: { status: 'skipped', reason: 'pinned to policy v10 by: Given the policy "v10"' },
        'linux-4.20': { status: 'skipped', reason: 'pinned to policy v10 by: Given the policy "v10"' },
        'linux-6.0': { status: 'skipped', reason: 'pinned to policy v10 by: Given the policy "v10"' },
        'my-patch': { status: 'skipped', reason: 'pinned to policy v10 by: Given the policy "v10"' },
      }),
    ],
    coverage: [{ policy: 'v11', points: [{ point: 'vfio_ap.init', fn: 'vfio_ap_init', option: 'ap-instructions', isDefault: false, branches: [{ branch: 'accept', scenarios: ['features/thread/R1-init.feature:14'], on420Kvm: 1 }, { branch: 'reject', scenarios: [], on420Kvm: 0 }] }] }],
  };
}

