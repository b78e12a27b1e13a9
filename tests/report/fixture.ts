/**
 * Runs the fixture matrix (tests/fixtures/matrix) through the real API into a temp directory.
 * Shared by the report tests; the support code is loaded once per process by runMatrix itself.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runMatrix, type MatrixOptions, type MatrixResult } from '../../src/runner/run-matrix';

export const FIXTURE_CWD = resolve(__dirname, '../fixtures/matrix');

export function captureStream(): Writable & { text(): string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text(): string };
  w.text = () => chunks.join('');
  return w;
}

export async function tempDir(prefix = 'apspec-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function runFixture(options: MatrixOptions & { outDir: string }, stdout = captureStream()) {
  const stderr = captureStream();
  const result: MatrixResult = await runMatrix(
    { verdictsPath: join(options.outDir, 'expected-verdicts.json'), ...options },
    { cwd: FIXTURE_CWD, stdout, stderr, env: {} },
  );
  return { result, stdout: stdout.text(), stderr: stderr.text() };
}
