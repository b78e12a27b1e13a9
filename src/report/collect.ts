/**
 * Cucumber messages of one run (one policy) -> one Cell per scenario.
 *
 * Works only from envelopes, as cucumber's own formatters do, so the same code serves a live run
 * and a saved `message` NDJSON. Cucumber's ids (uuids) are used to join messages but never leave
 * this module: the report must be byte-identical across runs.
 */
import {
  getWorstTestStepResult,
  AttachmentContentEncoding,
  HookType,
  TestStepResultStatus,
  type Envelope,
  type GherkinDocument,
  type Hook,
  type Pickle,
  type TestCase,
  type TestStepResult,
} from '@cucumber/messages';
import { parseScenarioAttachment, SCENARIO_MEDIA_TYPE, type ScenarioAttachment } from '../contract/scenario-attachment';
import { POLICY_ERROR_PREFIX } from '../sim/decisions';
import type { Cell, CellStatus, CellStep, ScenarioRow, StepStatus } from './types';

/** A scenario with the one cell this run produced. */
export type CollectedScenario = Omit<ScenarioRow, 'results'> & { readonly cell: Cell };

export interface CollectedRun {
  readonly scenarios: CollectedScenario[];
  /** Gherkin parse errors and run-level exceptions (a failing BeforeAll): the run itself failed. */
  readonly runErrors: string[];
}

/** A step's status as the report shows it: cucumber's, in lower case. */
const STEP_STATUS: Record<TestStepResultStatus, StepStatus> = {
  [TestStepResultStatus.PASSED]: 'passed',
  [TestStepResultStatus.FAILED]: 'failed',
  [TestStepResultStatus.UNDEFINED]: 'undefined',
  [TestStepResultStatus.SKIPPED]: 'skipped',
  [TestStepResultStatus.AMBIGUOUS]: 'ambiguous',
  [TestStepResultStatus.PENDING]: 'pending',
  [TestStepResultStatus.UNKNOWN]: 'unknown',
};

/** A cell's status from its worst step: the same, except that a step whose result cucumber never learnt (an interrupted run) leaves the cell not run. */
const STATUS: Record<TestStepResultStatus, CellStatus> = { ...(STEP_STATUS as Record<TestStepResultStatus, CellStatus>), [TestStepResultStatus.UNKNOWN]: 'skipped' };
interface AstInfo {
  /** Gherkin keyword of each step, by AST node id (pickles drop keywords). */
  readonly stepKeywords: Map<string, string>;
  /** Scenario line by AST node id. */
  readonly scenarioLines: Map<string, number>;
  /** Example rows by AST node id. */
  readonly rows: Map<string, { line: number; cells: string[] }>;
  /** Cucumber's snippet for each undefined pickle step, by pickle step id (steps/support/snippet-syntax.js). */
  readonly snippets: Map<string, string>;
}

interface Attempt {
  readonly testCaseId: string;
  readonly attempt: number;
  readonly results: { testStepId: string; result: TestStepResult }[];
  /** The scenario attachment the steps' After hook wrote (src/contract/scenario-attachment.ts). */
  attachment?: string;
  willBeRetried?: boolean;
}

/** Collect one run's envelopes, in the order cucumber emitted them. */
export function collectRun(envelopes: readonly Envelope[]): CollectedRun {
  const docs = new Map<string, GherkinDocument>();
  const ast: AstInfo = { stepKeywords: new Map(), scenarioLines: new Map(), rows: new Map(), snippets: new Map() };
  const pickles = new Map<string, Pickle>();
  const testCases = new Map<string, TestCase>();
  const hooks = new Map<string, Hook>();
  const attempts = new Map<string, Attempt>();
  const runErrors: string[] = [];

  for (const e of envelopes) {
    if (e.gherkinDocument?.uri) {
      docs.set(e.gherkinDocument.uri, e.gherkinDocument);
      indexAst(e.gherkinDocument, ast);
    } else if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
    else if (e.hook) hooks.set(e.hook.id, e.hook);
    else if (e.suggestion?.snippets[0]) ast.snippets.set(e.suggestion.pickleStepId, e.suggestion.snippets[0].code);
    else if (e.testCaseStarted)
      attempts.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, attempt: e.testCaseStarted.attempt, results: [] });
    else if (e.testStepFinished)
      attempts.get(e.testStepFinished.testCaseStartedId)?.results.push({ testStepId: e.testStepFinished.testStepId, result: e.testStepFinished.testStepResult });
    else if (e.attachment?.testCaseStartedId && e.attachment.mediaType === SCENARIO_MEDIA_TYPE) {
      const a = attempts.get(e.attachment.testCaseStartedId);
      if (a) a.attachment = decodeBody(e.attachment.body, e.attachment.contentEncoding);
    } else if (e.testCaseFinished) {
      const a = attempts.get(e.testCaseFinished.testCaseStartedId);
      if (a) a.willBeRetried = e.testCaseFinished.willBeRetried;
    } else if (e.parseError) runErrors.push(`parse error in ${e.parseError.source.uri ?? '?'}: ${e.parseError.message}`);
    else if (e.testRunFinished?.exception)
      runErrors.push(`the run failed: ${e.testRunFinished.exception.message ?? e.testRunFinished.exception.type}`);
  }

  // The last finished attempt of each test case is its verdict (retries are cucumber's business).
  const finalAttempt = new Map<string, Attempt>();
  for (const a of attempts.values()) {
    if (a.willBeRetried !== false) continue;
    const prev = finalAttempt.get(a.testCaseId);
    if (!prev || prev.attempt < a.attempt) finalAttempt.set(a.testCaseId, a);
  }

  const scenarios: CollectedScenario[] = [];
  for (const [testCaseId, attempt] of finalAttempt) {
    const testCase = testCases.get(testCaseId);
    const pickle = testCase && pickles.get(testCase.pickleId);
    const doc = pickle && docs.get(pickle.uri);
    if (!testCase || !pickle || !doc?.feature) continue;
    const feature = doc.feature;
    const row = pickle.astNodeIds.length > 1 ? ast.rows.get(pickle.astNodeIds[pickle.astNodeIds.length - 1]) : undefined;
    const line = row?.line ?? ast.scenarioLines.get(pickle.astNodeIds[0]) ?? 0;
    let attachment: ScenarioAttachment | undefined;
    if (attempt.attachment !== undefined) {
      const parsed = parseScenarioAttachment(attempt.attachment);
      if (parsed.ok) attachment = parsed.value;
      // A scenario attachment the report cannot read would silently lose the cell's story.
      else runErrors.push(`${scenarioId(pickle.uri, line)}: its ${SCENARIO_MEDIA_TYPE} attachment is unreadable: ${parsed.problem}`);
    }
    scenarios.push({
      id: scenarioId(pickle.uri, line),
      uri: pickle.uri,
      feature: feature.name,
      featureDescription: dedent(feature.description),
      featureTags: feature.tags.map((t) => t.name),
      tags: [...new Set(pickle.tags.map((t) => t.name))],
      name: pickle.name,
      ...(row ? { example: row.cells } : {}),
      line,
      steps: pickle.steps.map((ps) => `${ast.stepKeywords.get(ps.astNodeIds[0]) ?? ''}${ps.text}`),
      cell: cellOf(attempt, testCase, pickle, hooks, ast, attachment),
    });
  }
  return { scenarios: scenarios.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line)), runErrors };
}

/** A scenario's identity (ScenarioRow.id): its file and line, the example row's line for an outline. */
export function scenarioId(uri: string, line: number): string {
  return `${uri}:${line}`;
}


function cellOf(attempt: Attempt, testCase: TestCase, pickle: Pickle, hooks: Map<string, Hook>, ast: AstInfo, attachment: ScenarioAttachment | undefined): Cell {
  const results = attempt.results.map((r) => r.result);
  const worst = results.length ? getWorstTestStepResult(results) : undefined;
  let status: CellStatus = worst ? STATUS[worst.status] : 'skipped';
  const extra: { reason?: string; failingStep?: string; error?: string } = {};
  if (worst && status !== 'passed' && status !== 'skipped') {
    const bad = attempt.results.find((r) => r.result.status === worst.status);
    if (bad) {
      extra.failingStep = describeStep(bad.testStepId, testCase, pickle, hooks, ast);
      const step = testCase.testSteps.find((st) => st.id === bad.testStepId);
      const snippet = step?.pickleStepId ? ast.snippets.get(step.pickleStepId) : undefined;
      const error = errorText(bad.result, status, snippet);
      if (error !== undefined) extra.error = error;
      if (status === 'failed' && error?.startsWith(POLICY_ERROR_PREFIX)) status = 'policy-error';
    }
  }
  // The status of each pickle step, by the test step that ran it.
  const stepStatus = new Map<string, StepStatus>();
  for (const r of attempt.results) {
    const ts = testCase.testSteps.find((st) => st.id === r.testStepId);
    if (ts?.pickleStepId) stepStatus.set(ts.pickleStepId, STEP_STATUS[r.result.status]);
  }
  if (status === 'skipped') {
    if (attachment?.notApplicable) {
      status = 'not-applicable';
      extra.reason = attachment.notApplicable.reason;
    } else extra.reason = skipReason(pickle, stepStatus, ast);
  }
  return {
    status,
    ...extra,
    ...(attachment ? { steps: stepsOf(pickle, stepStatus, attachment), decisions: sortKeys(attachment.decisionsTaken) } : {}),
    ...(attachment?.hostKvm === 'pre-4.20' ? { preKvm: true as const } : {}),
  };
}

/** Each pickle step with the events between its start and the next step's (the last takes the rest). */
function stepsOf(pickle: Pickle, stepStatus: Map<string, StepStatus>, a: ScenarioAttachment): CellStep[] {
  return pickle.steps.map((ps, i) => {
    const from = a.stepStarts[i];
    const to = i + 1 < a.stepStarts.length ? a.stepStarts[i + 1] : a.events.length;
    return { status: stepStatus.get(ps.id) ?? 'skipped', events: from === undefined ? [] : a.events.slice(from, to) };
  });
}

/** Why a scenario was skipped: the step that skipped it (`Given the policy "v10"` pins it to v10). */
function skipReason(pickle: Pickle, stepStatus: Map<string, StepStatus>, ast: AstInfo): string {
  const first = pickle.steps.find((ps) => stepStatus.get(ps.id) === 'skipped');
  if (!first || ![...stepStatus.values()].every((st) => st === 'passed' || st === 'skipped')) return 'not run';
  const text = `${ast.stepKeywords.get(first.astNodeIds[0]) ?? ''}${first.text}`;
  const pinned = /^the policy "([^"]*)"$/.exec(first.text);
  return pinned ? `pinned to policy ${pinned[1]} by: ${text}` : `skipped by the step: ${text}`;
}

function describeStep(testStepId: string, testCase: TestCase, pickle: Pickle, hooks: Map<string, Hook>, ast: AstInfo): string {
  const step = testCase.testSteps.find((s) => s.id === testStepId);
  if (step?.pickleStepId) {
    const ps = pickle.steps.find((s) => s.id === step.pickleStepId);
    if (ps) {
      const keyword = ast.stepKeywords.get(ps.astNodeIds[0]) ?? '';
      return `${keyword}${ps.text}`;
    }
  }
  if (step?.hookId) {
    const hook = hooks.get(step.hookId);
    // Older messages carry no hook type; then the hook's place relative to the steps tells.
    const before = hook?.type
      ? hook.type === HookType.BEFORE_TEST_CASE
      : testCase.testSteps.findIndex((s) => s.pickleStepId) > testCase.testSteps.indexOf(step);
    return `${before ? 'Before' : 'After'} hook${hook?.name ? ` "${hook.name}"` : ''}`;
  }
  return 'a step';
}

/** The message without its stack: `exception.message` when cucumber gives it, else the first lines. */
function errorText(result: TestStepResult, status: CellStatus, snippet?: string): string | undefined {
  if (status === 'undefined') return `undefined step: no step definition matches it${snippet ? `\n${snippet}` : ''}`;
  const raw = result.exception?.message ?? result.message;
  if (raw === undefined) return undefined;
  // The steps' failure messages end with the last trace lines (ApWorld.traceTail in
  // steps/support/world.ts) for cucumber's own console; the report shows the whole trace under the
  // steps, so the tail is cut here rather than printed twice.
  const noStack = raw.split(/\n\s+at /)[0].replace(/\n(Last \d+ of \d+ trace events \(policy [^\n]*\):\n[\s\S]*|\(policy [^\n;]*; (no host, so no trace|the trace is empty)\))$/, '');
  // eslint-disable-next-line no-control-regex
  return noStack.replace(/\u001b\[[0-9;]*m/g, '').replace(/^[A-Za-z]*Error: /, '').trim();
}

function indexAst(doc: GherkinDocument, ast: AstInfo): void {
  const visitScenario = (sc: NonNullable<NonNullable<GherkinDocument['feature']>['children'][number]['scenario']>) => {
    ast.scenarioLines.set(sc.id, sc.location.line);
    for (const st of sc.steps) ast.stepKeywords.set(st.id, st.keyword);
    for (const ex of sc.examples)
      for (const r of ex.tableBody) ast.rows.set(r.id, { line: r.location.line, cells: r.cells.map((c) => c.value) });
  };
  for (const child of doc.feature?.children ?? []) {
    if (child.background) for (const st of child.background.steps) ast.stepKeywords.set(st.id, st.keyword);
    if (child.scenario) visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) {
      if (rc.background) for (const st of rc.background.steps) ast.stepKeywords.set(st.id, st.keyword);
      if (rc.scenario) visitScenario(rc.scenario);
    }
  }
}

function decodeBody(body: string, encoding: AttachmentContentEncoding): string {
  return encoding === AttachmentContentEncoding.BASE64 ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Gherkin descriptions keep the file's indentation; strip the common part. */
function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n').trim();
}

function sortKeys(o: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
