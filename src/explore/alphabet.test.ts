/**
 * Every line the explorer can print (the alphabet's steps, the world's lines, the Then-steps its
 * invariants emit) is matched by exactly one of helper-1's step definitions, as Cucumber itself
 * loads them (support code via @cucumber/cucumber/api).
 */
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { apqn } from '../sim/apqn';
import { alphabet } from './arbitraries';
import { apIntercepted, crycbMasks, hostNotCrashed, lastFailsWith, lastInstructionCompletes, queueBoundToVfioAp, seesQueues, tapqResponse, vfioApNotLoaded } from './assertions';
import { DEFAULT_WORLD, HOST_LINE, HOST_WITHOUT_AP_LINE, worldLines } from './world';

interface StepDefinitionLike {
  matchesStepName(text: string): boolean;
  pattern: string | RegExp;
}

let definitions: StepDefinitionLike[] = [];

beforeAll(async () => {
  const environment = { cwd: process.cwd() };
  const { runConfiguration } = await loadConfiguration({ profiles: ['default'] }, environment);
  const support = await loadSupport(runConfiguration, environment);
  definitions = (support as unknown as { stepDefinitions: StepDefinitionLike[] }).stepDefinitions;
}, 60_000);

const text = (line: string) => line.replace(/^(Given|When|Then|And) /, '');

function lines(): string[] {
  const w = DEFAULT_WORLD;
  const q = apqn(2, 4);
  return [
    HOST_LINE,
    HOST_WITHOUT_AP_LINE,
    ...worldLines(w),
    ...alphabet(w).map(String),
    ...hostNotCrashed().lines,
    ...lastFailsWith('ENODEV').lines,
    ...vfioApNotLoaded().lines,
    ...seesQueues('g1', [q, apqn(3, 5)]).lines,
    ...seesQueues('g1', []).lines,
    ...tapqResponse('g1', q, 0).lines,
    ...tapqResponse('g1', q, 1).lines,
    ...crycbMasks('g1', { apm: [2, 3], aqm: [4], adm: [] })!.lines,
    ...crycbMasks('g1', { apm: [], aqm: [], adm: [] })!.lines,
    ...apIntercepted('g1').lines,
    ...lastInstructionCompletes(0).lines,
    ...queueBoundToVfioAp(q).lines,
  ];
}

describe('the explorer speaks the step vocabulary', () => {
  it('every printed line starts with Given, When or Then', () => {
    for (const line of lines()) expect(line).toMatch(/^(Given|When|Then) /);
  });

  it('every printed line matches exactly one step definition', () => {
    expect(definitions.length).toBeGreaterThan(20);
    for (const line of lines()) {
      const matching = definitions.filter((d) => d.matchesStepName(text(line)));
      expect(matching.map((d) => String(d.pattern)), line).toHaveLength(1);
    }
  });
});
