/**
 * cucumber.js reads the policy ids from the registry table in src/policies/index.ts as text (so that
 * loading the config never loads a policy); this checks the text reading and the registry agree, and
 * that the loader switch names its choices.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_IDS } from '../src/policies';

const ROOT = resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const profiles = require(join(ROOT, 'cucumber.js')) as Record<string, { worldParameters?: { policy?: string }; requireModule?: string[] }>;

describe('cucumber.js profiles', () => {
  it('has one profile per registered policy, named by its id and selecting it, and nothing else besides default and ci', () => {
    expect(Object.keys(profiles).sort()).toEqual(['ci', 'default', ...POLICY_IDS].sort());
    for (const id of POLICY_IDS) expect(profiles[id]!.worldParameters?.policy).toBe(id);
  });

  it('loads the steps through tsx by default', () => {
    expect(profiles.default!.requireModule?.[0]).toBe('tsx/cjs');
  });

  it('refuses an unknown APSPEC_LOADER with one line naming the two loaders, exit 2', () => {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(ROOT, 'cucumber.js'))})`], {
      encoding: 'utf8',
      env: { ...process.env, APSPEC_LOADER: 'babel' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('apspec: APSPEC_LOADER="babel" is not a TypeScript loader apspec supports: use tsx (the default) or ts-node.\n');
  });

  it('APSPEC_LOADER=ts-node loads the steps through ts-node', () => {
    const r = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(join(ROOT, 'cucumber.js'))}).v10.requireModule[0])`], {
      encoding: 'utf8',
      env: { ...process.env, APSPEC_LOADER: 'ts-node' },
    });
    expect(r.stdout.trim()).toBe('ts-node/register/transpile-only');
  });
});
