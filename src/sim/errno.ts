/**
 * Kernel errno names and the result type every simulated operation returns.
 *
 * Errnos are string names, never numbers: a reviewer reads `EADDRINUSE`, not -98, and can grep the
 * name from a report to the simulator rule that returned it.
 */

/** The errno names the simulated stack can return (include/uapi/asm-generic/errno*.h). */
export const ERRNOS = [
  'EPERM',
  'EBADF',
  'ENOENT',
  'EIO',
  'ENXIO',
  'ENOMEM',
  'EFAULT',
  'EBUSY',
  'EEXIST',
  'ENODEV',
  'EINVAL',
  'ERANGE',
  'EOPNOTSUPP',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'EUSERS',
] as const;

export type Errno = (typeof ERRNOS)[number];

export function isErrno(name: string): name is Errno {
  return (ERRNOS as readonly string[]).includes(name);
}

/** What a refusal carries: the errno (absent for a userspace refusal such as QEMU's), and who refused. */
export interface Refusal {
  readonly ok: false;
  /** Kernel errno; undefined when userspace (QEMU) refused with a message only. */
  readonly errno?: Errno;
  /** The function that refused, as the kernel or QEMU names it. */
  readonly fn: string;
  /** One sentence a reviewer understands. */
  readonly message: string;
}

export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}

export type Outcome<T = void> = Success<T> | Refusal;

export const OK: Success<void> = Object.freeze({ ok: true, value: undefined });

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(fn: string, errno: Errno | undefined, message: string): Refusal {
  return { ok: false, errno, fn, message };
}
