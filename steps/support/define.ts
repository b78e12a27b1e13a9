/**
 * `step()`: how every step of the vocabulary is registered.
 *
 * It records `{ keyword, expression, meaning, example }` in `CATALOGUE` (the generated step
 * catalogue reads it) and registers the step with Cucumber's Given/When/Then. Around the step it
 * turns the simulator's two exceptions into the teaching paragraph a feature writer needs:
 * `MissingEntityError` (the scenario names something it never set up) and `PolicyError` (a broken
 * policy), and strips JavaScript stacks from expected failures (errors.ts).
 */
import { Given, Then, When, supportCodeLibraryBuilder } from '@cucumber/cucumber';
import * as path from 'node:path';
import { PolicyError, MissingEntityError } from '../../src/sim/api';
import { stepError, withoutStack } from './errors';
import type { ApWorld } from './world';

export type Keyword = 'Given' | 'When' | 'Then';

export interface StepDoc {
  /** One line: what the step means in kernel terms. */
  readonly meaning: string;
  /** The step as a feature file writes it. */
  readonly example: string;
}

export interface CatalogueEntry extends StepDoc {
  readonly keyword: Keyword;
  /** The Cucumber expression, e.g. `the administrator assigns {matrix_kind} {id} to {string}`. */
  readonly expression: string;
}

/** Every step of the vocabulary, in registration order (steps/*.steps.ts). */
export const CATALOGUE: CatalogueEntry[] = [];

const REGISTER = { Given, When, Then } as const;

/** How to create what a step named but the scenario never set up. */
function missingEntity(err: MissingEntityError): Error {
  switch (err.kind) {
    case 'host':
      return stepError('no host has been described yet: start the scenario with  Given an s390 host');
    case 'guest':
      return stepError(
        `there is no guest "${err.entity}": create it first with  Given a guest "${err.entity}"  (or  Given a guest "${err.entity}" started by a minimal VMM)`,
      );
    case 'mediated device':
      return stepError(`there is no mediated device "${err.entity}": create it first with  Given a mediated device "${err.entity}"`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StepFn = (this: ApWorld, ...args: any[]) => unknown;

/** Register one step of the vocabulary; `doc` feeds the generated catalogue. */
export function step(keyword: Keyword, expression: string, doc: StepDoc, fn: StepFn): void {
  CATALOGUE.push({ keyword, expression, ...doc });
  register(keyword, expression, fn);
}

/**
 * One text that means different things under different keywords (`Given/When/Then the vfio_ap
 * module is loaded`). Cucumber matches text whatever the keyword, so this is one definition; `fn`
 * reads `this.currentStepType` to tell them apart. Each keyword gets its own catalogue entry.
 */
export function stepPerKeyword(expression: string, docs: Partial<Record<Keyword, StepDoc>>, fn: StepFn): void {
  const keywords = Object.keys(docs) as Keyword[];
  for (const keyword of keywords) CATALOGUE.push({ keyword, expression, ...docs[keyword]! });
  register(keywords[0], expression, fn);
}

function register(keyword: Keyword, expression: string, fn: StepFn): void {
  // Cucumber reads the arity of the function to match arguments; keep it.
  const wrapped = {
    [fn.name || 'step']: function (this: ApWorld, ...args: unknown[]) {
      try {
        return fn.apply(this, args);
      } catch (err) {
        if (err instanceof MissingEntityError) throw missingEntity(err);
        if (err instanceof PolicyError) throw withoutStack(err);
        throw err;
      }
    },
  }[fn.name || 'step'];
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  REGISTER[keyword](expression, wrapped);
  pointDefinitionAtCaller();
}

/**
 * Cucumber records a step definition's location from the first stack frame outside Cucumber, which
 * would be this file for every step. Point the definition just registered at the steps file that
 * called `step()` instead, so the usage formatter, "ambiguous step" errors and editors show it.
 * (Reaches into the builder's step list; if a Cucumber upgrade renames it, locations just stay here.)
 */
function pointDefinitionAtCaller(): void {
  const configs = (supportCodeLibraryBuilder as unknown as { stepDefinitionConfigs?: { uri: string; line: number }[] })
    .stepDefinitionConfigs;
  const frame = new Error().stack
    ?.split('\n')
    .map((line) => /\(?((?:[A-Za-z]:)?[^\s()]+):(\d+):\d+\)?$/.exec(line.trim()))
    .find((m) => m && !m[1].endsWith('define.ts') && m[1].includes('steps'));
  const last = configs?.[configs.length - 1];
  if (!frame || !last) return;
  const file = frame[1].startsWith('file://') ? new URL(frame[1]).pathname : frame[1];
  last.uri = path.relative(process.cwd(), file);
  last.line = Number(frame[2]);
}
