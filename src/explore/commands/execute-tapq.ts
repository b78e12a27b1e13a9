import { formatApqn, type Apqn } from '../../sim/api';
import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When guest "g1" executes PQAP(TAPQ) on 02.0004`: an observation; it changes no state. */
export class ExecuteTapq extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  override readonly observation = true;
  constructor(
    readonly guest: string,
    readonly q: Apqn,
  ) {
    super();
    this.id = `tapq:${guest}:${formatApqn(q)}`;
  }
  text(): string {
    return `guest "${this.guest}" executes PQAP(TAPQ) on ${formatApqn(this.q)}`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.guests[this.guest] !== undefined;
  }
  protected apply(_m: Model, r: Real): void {
    if (r.sys.oops) return;
    r.last = { kind: 'instruction', op: this.id, result: r.sys.guest.execute(this.guest, 'PQAP(TAPQ)', this.q) };
  }
}
