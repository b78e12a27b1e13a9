import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BrowserUnavailableError, defaultSystemDirs, findChromium, launchChromium, launchFailure, systemDirsFrom } from './launch';

let root: string;
/** An executable stand-in: findChromium only checks that the file is there and executable. */
async function fakeBrowser(dir: string, name: string, mode = 0o755): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, '#!/bin/sh\nexit 0\n');
  await chmod(path, mode);
  return path;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'apspec-launch-'));
});

describe('findChromium lookup order', () => {
  it('takes APSPEC_CHROMIUM first, even when a system Chromium exists', async () => {
    const explicit = await fakeBrowser(join(root, 'explicit'), 'my-chrome');
    const system = join(root, 'sys-order');
    await fakeBrowser(system, 'chromium');
    const found = await findChromium({ env: { APSPEC_CHROMIUM: explicit, APSPEC_SYSTEM_BROWSER_DIRS: system } });
    expect(found).toMatchObject({ source: 'APSPEC_CHROMIUM', executablePath: explicit, env: {} });
  });

  it('treats an empty APSPEC_CHROMIUM as unset and takes the system Chromium', async () => {
    const system = join(root, 'sys-empty-explicit');
    const path = await fakeBrowser(system, 'chromium');
    expect(await findChromium({ env: { APSPEC_CHROMIUM: '', APSPEC_SYSTEM_BROWSER_DIRS: system } })).toMatchObject({ source: 'system', executablePath: path });
  });

  it('searches the APSPEC_SYSTEM_BROWSER_DIRS in order and skips a chromium that is not executable', async () => {
    const first = join(root, 'sys-a');
    const second = join(root, 'sys-b');
    await fakeBrowser(first, 'chromium', 0o644);
    const path = await fakeBrowser(second, 'chromium-browser');
    const found = await findChromium({ env: { APSPEC_SYSTEM_BROWSER_DIRS: `${join(root, 'missing')}:${first}:${second}` } });
    expect(found).toMatchObject({ source: 'system', executablePath: path });
    expect(found.description).toContain(path);
  });

  it('reads APSPEC_SYSTEM_BROWSER_DIRS as a colon-separated list: unset means the defaults, empty means nowhere', () => {
    expect(systemDirsFrom({}, 'linux')).toEqual(['/usr/bin', '/usr/local/bin']);
    expect(systemDirsFrom({}, 'darwin')).toEqual(defaultSystemDirs('darwin'));
    expect(systemDirsFrom({ APSPEC_SYSTEM_BROWSER_DIRS: '' }, 'linux')).toEqual([]);
    expect(systemDirsFrom({ APSPEC_SYSTEM_BROWSER_DIRS: '/a::/b' }, 'linux')).toEqual(['/a', '/b']);
  });

  it('refuses the packaged Linux x64 build on another platform and says to set APSPEC_CHROMIUM', async () => {
    const err = await findChromium({ env: { APSPEC_SYSTEM_BROWSER_DIRS: join(root, 'nothing-here') }, platform: 'darwin', arch: 'arm64' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrowserUnavailableError);
    expect((err as Error).message).toMatch(/built for Linux x64 only \(this is darwin arm64\)\. Set APSPEC_CHROMIUM/);
    expect((err as Error).message).toContain(`no chromium/chromium-browser/google-chrome-stable/google-chrome/Chromium/Google Chrome in ${join(root, 'nothing-here')}`);
  });
});

describe('findChromium and the packaged Chromium', () => {
  it('says where unpacking failed and what it needs when the cache directory cannot be written', async () => {
    const blocker = join(root, 'a-file-not-a-dir');
    await writeFile(blocker, '');
    const err = await findChromium({ env: { APSPEC_SYSTEM_BROWSER_DIRS: '' }, platform: 'linux', arch: 'x64', cacheDir: join(blocker, 'cache') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrowserUnavailableError);
    expect((err as Error).message).toMatch(new RegExp(`^Could not unpack the Chromium of @sparticuz/chromium [0-9.]+ into ${blocker}/cache/[0-9.]+: .*ENOTDIR.*It needs about 200 MB there, writable`));
  });
});

describe('findChromium explains an unusable APSPEC_CHROMIUM instead of falling through', () => {
  const explain = async (value: string) => {
    const system = join(root, 'sys-fallback');
    await fakeBrowser(system, 'chromium');
    const err = await findChromium({ env: { APSPEC_CHROMIUM: value, APSPEC_SYSTEM_BROWSER_DIRS: system } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrowserUnavailableError);
    return (err as Error).message;
  };

  it('names the variable, the path and "does not exist" for a missing file', async () => {
    const missing = join(root, 'no-such-chrome');
    expect(await explain(missing)).toBe(
      `APSPEC_CHROMIUM is set to "${missing}", which does not exist. Point it at a Chromium or Chrome executable (for example /usr/bin/chromium), or unset it to use the system's Chromium or the packaged one from npm.`,
    );
  });

  it('says how to fix a file that is not executable', async () => {
    const path = await fakeBrowser(join(root, 'noexec'), 'chrome', 0o644);
    expect(await explain(path)).toContain(`"${path}", which is not executable (chmod +x ${path})`);
  });

  it('says a directory is not an executable', async () => {
    const dir = join(root, 'a-directory');
    await mkdir(dir, { recursive: true });
    expect(await explain(dir)).toContain(`"${dir}", which is a directory, not an executable`);
  });
});

describe('launchChromium when the browser found does not start', () => {
  it('says which browser failed, how to pick another, and keeps the browser log without the command line', async () => {
    const dir = join(root, 'broken-system');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'chromium'), '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 127\n');
    await chmod(join(dir, 'chromium'), 0o755);
    const err = await launchChromium({ env: { ...process.env, APSPEC_CHROMIUM: undefined, APSPEC_SYSTEM_BROWSER_DIRS: dir } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrowserUnavailableError);
    const message = (err as Error).message;
    expect(message.split('\n')[0]).toBe(
      `Could not start the system's Chromium (${join(dir, 'chromium')}). To use the packaged Chromium from npm instead, set APSPEC_SYSTEM_BROWSER_DIRS= (empty), or name another browser with APSPEC_CHROMIUM.`,
    );
    expect(message).toContain('error while loading shared libraries: libnss3.so');
    expect(message).not.toContain('--no-sandbox');
  });

  it('launchFailure drops colour codes, the launch command and the call log', () => {
    const raw = 'browserType.launch: closed\nBrowser logs:\n\n<launching> /x --a --b\n<launched> pid=1\n[pid=1][err] boom\nCall log:\n\u001b[2m  - <launching> /x\u001b[22m';
    expect(launchFailure(new Error(raw))).toBe('browserType.launch: closed\nBrowser logs:\n<launched> pid=1\n[pid=1][err] boom');
  });
});
