import { releaseMdev, type Model } from '../model';
import type { Real } from '../real';
import { ExploreCommand } from './base';

/** `When guest "g1" shuts down`: every device closed, the VM destroyed. */
export class ShutDown extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(readonly guest: string) {
    super();
    this.id = `shut-down:${guest}`;
  }
  text(): string {
    return `guest "${this.guest}" shuts down`;
  }
  protected enabled(m: Readonly<Model>): boolean {
    return m.guests[this.guest] !== undefined;
  }
  protected apply(m: Model, r: Real): void {
    if (!this.act(r, r.sys.qemu.shutdown(this.guest)).ok) return;
    delete m.guests[this.guest];
    for (const [name, d] of Object.entries(m.mdevs)) {
      if (d.openBy === this.guest || d.kvm === this.guest) releaseMdev(m, name);
      if (d.group === this.guest) {
        delete d.group;
        delete d.groupOut;
      }
    }
  }
}
