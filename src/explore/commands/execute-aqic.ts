import { formatApqn, type Apqn } from '../../sim/api';
import type { Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/**
 * `When guest "g1" executes PQAP(AQIC) on 02.0004`: the guest enables interruptions for a queue
 * (IR set, a valid NIB, supervisor state). Firmware always intercepts AQIC; from 5.3 KVM's
 * handle_pqap passes it to the pqap_hook vfio_ap registered, which enables the real queue's
 * interruptions (state: the mdev's irq-enabled queues), so it is not an observation.
 */
export class ExecuteAqic extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    readonly guest: string,
    readonly q: Apqn,
  ) {
    super();
    this.id = `aqic:${guest}:${formatApqn(q)}`;
  }
  text(): string {
    return `guest "${this.guest}" executes PQAP(AQIC) on ${formatApqn(this.q)}`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    // Without AP instructions the guest has none to execute; before 5.3 QEMU answers the intercept
    // with an operation exception and nothing changes.
    return m.guests[this.guest] !== undefined && m.apInstructions && m.aqicInKernel;
  }
  protected apply(_m: Model, r: Real): void {
    if (r.sys.oops) return;
    r.last = { kind: 'instruction', op: this.id, result: r.sys.guest.execute(this.guest, 'PQAP(AQIC)', this.q) };
  }
}
