/**
 * Timing primitives: spawned processes from start to exit, statistics over runs.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function stats(samples: readonly number[]): Stats {
  if (!samples.length) return { median: NaN, min: NaN, max: NaN, samples: [] };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], samples: [...samples] };
}

export interface SpawnResult {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to completion; `ms` is from spawn to exit. Output is kept (it is small) for diagnosis. */
export function timeSpawn(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string | undefined>; signal?: AbortSignal },
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

/** `warmup` untimed runs, then `runs` timed ones; each must exit with one of `okCodes`. */
export async function repeatSpawn(
  what: string,
  okCodes: readonly number[],
  warmup: number,
  runs: number,
  once: () => Promise<SpawnResult>,
): Promise<number[]> {
  const check = (r: SpawnResult) => {
    if (r.code === null || !okCodes.includes(r.code))
      throw new Error(`${what} exited with ${r.code}:\n${(r.stderr || r.stdout).split('\n').slice(-15).join('\n')}`);
    return r.ms;
  };
  for (let i = 0; i < warmup; i++) check(await once());
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(check(await once()));
  return ms;
}
