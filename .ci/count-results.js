#!/usr/bin/env node
// Counts test results in the machine-readable files `npm test` writes, for .ci/run.
// Plain CommonJS with no dependencies: it must run even when `npm ci` half worked.
//   node .ci/count-results.js <file>...   ->  one line per file: "<passed> <failed> <file>"
// vitest JSON (reports/ci-unit.json, reports/ci-browser.json): numPassedTests / numFailedTests.
// cucumber messages NDJSON (reports/ci-acceptance.ndjson): one result per scenario, its final
// attempt, worst step status; undefined, ambiguous and pending count as failed (cucumber's strict
// mode fails the run on them), skipped scenarios count as neither.
// The policy matrix (reports/ci-matrix/policy-matrix.json): one check per cell that has a reviewed
// verdict in reports/expected-verdicts.json: passed when the run gave that verdict, failed when it
// gave another, or when a reviewed cell is missing from the run; cells with no reviewed verdict (a
// scenario pinned to another policy) count as neither.
'use strict';
const fs = require('node:fs');

const ORDER = ['UNKNOWN', 'PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED'];
const FAILING = new Set(['PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED']);

function countVitest(text) {
  const r = JSON.parse(text);
  return { passed: r.numPassedTests || 0, failed: (r.numFailedTests || 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0) };
}

function countCucumber(text) {
  const worst = new Map();
  const finished = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    if (e.testCaseStarted) worst.set(e.testCaseStarted.id, 'PASSED');
    else if (e.testStepFinished) {
      const id = e.testStepFinished.testCaseStartedId;
      const s = e.testStepFinished.testStepResult.status;
      if (ORDER.indexOf(s) > ORDER.indexOf(worst.get(id) || 'UNKNOWN')) worst.set(id, s);
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) finished.push(e.testCaseFinished.testCaseStartedId);
  }
  let passed = 0;
  let failed = 0;
  for (const id of finished) {
    const s = worst.get(id);
    if (s === 'PASSED') passed++;
    else if (FAILING.has(s)) failed++;
  }
  return { passed, failed };
}

function countMatrix(text) {
  const matrix = JSON.parse(text);
  const expected = JSON.parse(fs.readFileSync('reports/expected-verdicts.json', 'utf8'));
  const byId = new Map((matrix.scenarios || []).map((s) => [s.id, s.results || {}]));
  let passed = 0;
  let failed = 0;
  for (const [id, verdicts] of Object.entries(expected)) {
    const results = byId.get(id);
    for (const [policy, verdict] of Object.entries(verdicts)) {
      const got = results && results[policy] && results[policy].status;
      if (got === verdict) passed++;
      else failed++;
    }
  }
  return { passed, failed };
}

for (const file of process.argv.slice(2)) {
  let counts;
  try {
    const text = fs.readFileSync(file, 'utf8');
    counts = file.endsWith('.ndjson') ? countCucumber(text) : file.endsWith('policy-matrix.json') ? countMatrix(text) : countVitest(text);
  } catch (err) {
    console.log(`missing 0 ${file}`);
    continue;
  }
  console.log(`${counts.passed} ${counts.failed} ${file}`);
}
