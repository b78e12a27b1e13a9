/**
 * Finds a Chromium for the browser tests and the report's screenshots, and launches it with
 * playwright-core. The lookup order:
 *
 * 1. `APSPEC_CHROMIUM`: an explicit executable. Set but unusable is an error that says why, never
 *    a silent fall-through to another browser.
 * 2. The system's Chromium or Chrome: the first executable of SYSTEM_BROWSER_NAMES in the
 *    directories of `APSPEC_SYSTEM_BROWSER_DIRS` (separated by `:`; set but empty = look nowhere),
 *    by default /usr/bin and /usr/local/bin (the two app bundles on macOS).
 * 3. The headless Chromium inside the @sparticuz/chromium devDependency (Linux x64), unpacked into
 *    node_modules/.cache/apspec-chromium/<version>/ on first use (see unpack.ts). It came with
 *    `npm ci`, so a machine with Node 20 and the npm registry needs nothing else, and no root.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, parse as parsePath } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { UsageError } from '../common/errors';
import { unpackChromium, type UnpackedChromium } from './unpack';

/** Flags every launch gets: headless as root in a container, and no traffic of its own (no updates, sync, QUIC). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SYSTEM_BROWSER_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'Chromium', 'Google Chrome'];

export const PACKAGED_CHROMIUM = '@sparticuz/chromium';

export function defaultSystemDirs(platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'darwin' ? ['/Applications/Chromium.app/Contents/MacOS', '/Applications/Google Chrome.app/Contents/MacOS'] : ['/usr/bin', '/usr/local/bin'];
}

/** A Chromium that can be launched; a user mistake or a missing browser is a BrowserUnavailableError. */
export interface FoundChromium {
  readonly source: 'APSPEC_CHROMIUM' | 'system' | 'package';
  readonly executablePath: string;
  /** One line for a log or an error: which Chromium, and why this one. */
  readonly description: string;
  /** Variables the browser needs on top of the caller's environment (the packaged build's libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
}

export interface FindChromiumOptions {
  /** Where APSPEC_CHROMIUM, APSPEC_SYSTEM_BROWSER_DIRS and LD_LIBRARY_PATH are read (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the packaged Chromium is unpacked (default node_modules/.cache/apspec-chromium). */
  readonly cacheDir?: string;
  /** The platform and architecture the packaged build must match (default this process's). */
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
}

/** No usable Chromium, or one that would not start: one paragraph saying what was tried and what to do. */
export class BrowserUnavailableError extends UsageError {
  override name = 'BrowserUnavailableError';
}

type Usable = { ok: true } | { ok: false; why: string };

async function usableExecutable(path: string): Promise<Usable> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { ok: false, why: 'is a directory, not an executable' };
    if (!st.isFile()) return { ok: false, why: 'is not a regular file' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? String(err)})` };
  }
  try {
    await access(path, constants.X_OK);
    return { ok: true };
  } catch {
    return { ok: false, why: `is not executable (chmod +x ${path})` };
  }
}

/** APSPEC_SYSTEM_BROWSER_DIRS split on `:`; unset means the platform's default directories. */
export function systemDirsFrom(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string[] {
  const value = env['APSPEC_SYSTEM_BROWSER_DIRS'];
  if (value === undefined) return defaultSystemDirs(platform);
  return value.split(delimiter).filter((d) => d !== '');
}

/** The installed @sparticuz/chromium: its root directory and version, or undefined when it is not installed. */
async function packagedChromium(): Promise<{ root: string; version: string } | undefined> {
  let main: string;
  try {
    main = createRequire(__filename).resolve(PACKAGED_CHROMIUM);
  } catch {
    return undefined;
  }
  // The package's exports do not include package.json: walk up from its main file to find it.
  for (let dir = dirname(main); dir !== parsePath(dir).root; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGED_CHROMIUM && typeof pkg.version === 'string' && /^[0-9A-Za-z.+-]+$/.test(pkg.version)) return { root: dir, version: pkg.version };
    } catch {
      // no package.json at this level (or not JSON): keep walking up
    }
  }
  return undefined;
}

const HOW_TO_CHOOSE =
  'Set APSPEC_CHROMIUM to a Chromium or Chrome executable, or run `npm ci` (it installs @sparticuz/chromium, a headless Chromium for Linux x64).';

/** The Chromium the lookup order above picks, unpacking the packaged one if it comes to that. */
export async function findChromium(options: FindChromiumOptions = {}): Promise<FoundChromium> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;

  const explicit = env['APSPEC_CHROMIUM'];
  if (explicit !== undefined && explicit !== '') {
    const usable = await usableExecutable(explicit);
    if (!usable.ok)
      throw new BrowserUnavailableError(
        `APSPEC_CHROMIUM is set to "${explicit}", which ${usable.why}. Point it at a Chromium or Chrome executable (for example /usr/bin/chromium), or unset it to use the system's Chromium or the packaged one from npm.`,
      );
    return { source: 'APSPEC_CHROMIUM', executablePath: explicit, description: `Chromium from APSPEC_CHROMIUM (${explicit})`, env: {} };
  }

  const dirs = systemDirsFrom(env, platform);
  for (const dir of dirs) {
    for (const name of SYSTEM_BROWSER_NAMES) {
      const path = join(dir, name);
      if ((await usableExecutable(path)).ok) return { source: 'system', executablePath: path, description: `the system's Chromium (${path})`, env: {} };
    }
  }
  const looked = dirs.length ? `no ${SYSTEM_BROWSER_NAMES.join('/')} in ${dirs.join(', ')}` : 'no system directories to search (APSPEC_SYSTEM_BROWSER_DIRS is empty)';

  const pkg = await packagedChromium();
  if (!pkg) throw new BrowserUnavailableError(`No Chromium found: APSPEC_CHROMIUM is unset, ${looked}, and ${PACKAGED_CHROMIUM} is not installed. ${HOW_TO_CHOOSE}`);
  if (platform !== 'linux' || arch !== 'x64')
    throw new BrowserUnavailableError(
      `No Chromium found: APSPEC_CHROMIUM is unset, ${looked}, and the Chromium in ${PACKAGED_CHROMIUM} is built for Linux x64 only (this is ${platform} ${arch}). Set APSPEC_CHROMIUM to your Chromium or Chrome executable.`,
    );
  // node_modules/@sparticuz/chromium -> node_modules/.cache/apspec-chromium
  const cacheDir = options.cacheDir ?? join(pkg.root, '..', '..', '.cache', 'apspec-chromium');
  const target = join(cacheDir, pkg.version);
  let unpacked: UnpackedChromium;
  try {
    unpacked = await unpackChromium(join(pkg.root, 'bin'), target);
  } catch (err) {
    throw new BrowserUnavailableError(
      `Could not unpack the Chromium of ${PACKAGED_CHROMIUM} ${pkg.version} into ${target}: ${err instanceof Error ? err.message : String(err)}. It needs about 200 MB there, writable; or set APSPEC_CHROMIUM to another Chromium.`,
      { cause: err },
    );
  }
  const ldPath = env['LD_LIBRARY_PATH'];
  return {
    source: 'package',
    executablePath: unpacked.executablePath,
    description: `the packaged Chromium (${PACKAGED_CHROMIUM} ${pkg.version}, unpacked in ${unpacked.dir}; ${looked})`,
    env: { LD_LIBRARY_PATH: ldPath ? `${unpacked.libDir}${delimiter}${ldPath}` : unpacked.libDir, FONTCONFIG_FILE: unpacked.fontConfigFile },
  };
}

export interface LaunchChromiumOptions extends FindChromiumOptions {
  /** playwright-core launch options; `args` are added after CHROMIUM_ARGS. */
  readonly launch?: Omit<LaunchOptions, 'executablePath' | 'env'>;
  /** Told which Chromium is about to be launched (for a log line). */
  readonly onFound?: (chromium: FoundChromium) => void;
}

const RETRY_HINT: Record<FoundChromium['source'], string> = {
  APSPEC_CHROMIUM: 'Check that APSPEC_CHROMIUM names a Chromium or Chrome (try "$APSPEC_CHROMIUM" --headless --version), or unset it.',
  system: 'To use the packaged Chromium from npm instead, set APSPEC_SYSTEM_BROWSER_DIRS= (empty), or name another browser with APSPEC_CHROMIUM.',
  package: 'Delete node_modules/.cache/apspec-chromium to unpack it again, or name another browser with APSPEC_CHROMIUM.',
};

/**
 * playwright's launch error, short: its first line and the browser's own log (where a missing
 * library or a crash shows), without the command line of 60 flags, the call log or the stack.
 */
export function launchFailure(err: unknown): string {
  // eslint-disable-next-line no-control-regex
  const text = (err instanceof Error ? err.message : String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  const lines = text.split('\n');
  const callLog = lines.findIndex((l) => l.startsWith('Call log:'));
  return lines
    .slice(0, callLog === -1 ? undefined : callLog)
    .filter((l) => !l.includes('<launching>') && l.trim() !== '')
    .slice(0, 15)
    .join('\n');
}

/** findChromium, then playwright-core's chromium.launch with CHROMIUM_ARGS and the browser's environment. */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const found = await findChromium(options);
  options.onFound?.(found);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env ?? process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, found.env);
  try {
    return await chromium.launch({ ...options.launch, executablePath: found.executablePath, env, args: [...CHROMIUM_ARGS, ...(options.launch?.args ?? [])] });
  } catch (err) {
    throw new BrowserUnavailableError(`Could not start ${found.description}. ${RETRY_HINT[found.source]}\n${launchFailure(err)}`, { cause: err });
  }
}
