/**
 * A counterexample as a .feature file: the world's lines, one step per command (its toString), then
 * the Then-steps that express the violated invariant. Before writing, the scenario is replayed on
 * every policy's simulator to say under which it passes; the file must fail under its own policy.
 */
import { POLICY_IDS, getPolicy } from '../policies';
import { formatTrace } from '../sim/api';
import type { Assertion } from './assertions';
import type { ExploreCommand } from './commands/base';
import { HostWithoutApInstructions } from './commands/host-without-ap-instructions';
import type { Invariant } from './invariants';
import { replayScenario } from './run';
import { HOST_LINE, worldLines, type World } from './world';

export interface ScenarioSource {
  readonly invariant: Invariant;
  readonly policy: string;
  readonly world: World;
  readonly path: readonly ExploreCommand[];
  readonly then: readonly Assertion[];
  /** How it was found: `bfs depth 6` or `random seed 42 path "3:1"`. */
  readonly search: string;
  readonly seed: number;
  readonly message: string;
}

/** The scenario's step lines (Given/When/Then; a repeated keyword becomes And). */
export function scenarioSteps(world: World, path: readonly ExploreCommand[], then: readonly Assertion[]): string[] {
  const first = path[0];
  const hostLine = first instanceof HostWithoutApInstructions ? first.toString() : HOST_LINE;
  const rest = first instanceof HostWithoutApInstructions ? path.slice(1) : path;
  const raw = [hostLine, ...worldLines(world), ...rest.map((c) => c.toString()), ...then.flatMap((a) => a.lines)];
  let prev = '';
  return raw.map((line) => {
    const [kw, ...words] = line.split(' ');
    const out = kw === prev ? `And ${words.join(' ')}` : line;
    prev = kw!;
    return out;
  });
}

export interface Verdicts {
  readonly passesUnder: string[];
  readonly failsUnder: string[];
  /** Policies under which a Given cannot exist (kernels.md: n.a. is a verdict, never a failure). */
  readonly notApplicableUnder: string[];
}

export function verdicts(s: Pick<ScenarioSource, 'world' | 'path' | 'then'>): Verdicts {
  const passesUnder: string[] = [];
  const failsUnder: string[] = [];
  const notApplicableUnder: string[] = [];
  for (const id of POLICY_IDS) {
    const r = replayScenario(getPolicy(id), s.world, s.path, s.then, false);
    (r.passes ? passesUnder : r.notApplicable !== undefined ? notApplicableUnder : failsUnder).push(id);
  }
  return { passesUnder, failsUnder, notApplicableUnder };
}

/** The trace of the scenario under its policy, for reports. */
export function scenarioTrace(s: ScenarioSource): string {
  return formatTrace(replayScenario(getPolicy(s.policy), s.world, s.path, s.then, true).real.sys.events);
}

export function toFeature(s: ScenarioSource, v: Verdicts = verdicts(s)): string {
  const comment = (text: string) => `# ${text}`;
  const lines = [
    comment(`Counterexample found by \`npm run explore\` (src/explore). Do not edit: regenerate it.`),
    comment(`invariant: ${s.invariant.name} (${s.invariant.kind})`),
    comment(`  ${s.invariant.statement}`),
    comment(`policy: ${s.policy} (this scenario fails under it: ${s.message})`),
    comment(`search: ${s.search}; seed ${s.seed}; ${s.path.length} steps after the world`),
    comment(`passes under: ${v.passesUnder.join(', ') || 'none'}`),
    comment(`fails under: ${v.failsUnder.join(', ') || 'none'}`),
    ...(v.notApplicableUnder.length ? [comment(`not applicable under: ${v.notApplicableUnder.join(', ')}`)] : []),
    comment(`run: npx cucumber-js <this file> -p ${s.policy}`),
    `@explore @counterexample`,
    `Feature: Counterexample to ${s.invariant.name} under ${s.policy}`,
    `  ${s.invariant.statement}`,
    '',
    `  Scenario: ${s.invariant.name} fails under ${s.policy} after ${s.path.length} steps`,
    ...scenarioSteps(s.world, s.path, s.then).map((l) => `    ${l}`),
    '',
  ];
  return lines.join('\n');
}
