/**
 * The vfio_ap driver module: load and unload (vfio_ap_init / vfio_ap_exit; spec/steps.md, "The
 * vfio_ap driver").
 */
import { expect } from 'chai';
import { step, stepPerKeyword } from './support/define';
import { explainOutcome, describeRefusal, type ApWorld } from './support/world';
import type { Errno } from '../src/sim/errno';

stepPerKeyword(
  'the vfio_ap module is loaded',
  {
    Given: {
      meaning: 'modprobe vfio_ap succeeded (vfio_ap_init); a refusal fails the scenario as a precondition.',
      example: 'Given the vfio_ap module is loaded',
    },
    When: {
      meaning: 'modprobe vfio_ap (vfio_ap_init): AP-instructions check (policy), matrix device, AP driver, mdev parent.',
      example: 'When the vfio_ap module is loaded',
    },
    Then: {
      meaning: 'The vfio_ap module is loaded now.',
      example: 'Then the vfio_ap module is loaded',
    },
  },
  function (this: ApWorld) {
    const vfioAp = this.sys.vfioAp;
    if (this.currentStepType === 'Outcome') {
      this.check(
        () => expect(vfioAp.loaded).to.equal(true),
        () => 'expected the vfio_ap module to be loaded, but it is not (see the trace for vfio_ap_init or vfio_ap_exit)',
      );
      return;
    }
    this.act(vfioAp.load());
  },
);

step(
  'Then',
  'loading the vfio_ap module fails with {errno}',
  {
    meaning: 'modprobe vfio_ap now (vfio_ap_init) returns this errno.',
    example: 'Then loading the vfio_ap module fails with ENODEV',
  },
  function (this: ApWorld, errno: Errno) {
    const outcome = this.sys.vfioAp.load();
    this.act(outcome);
    this.check(
      () => expect(outcome.ok ? undefined : outcome.errno).to.equal(errno),
      () => `expected loading the vfio_ap module to fail with ${errno}, but ${explainOutcome(outcome)}`,
    );
  },
);

step(
  'When',
  'the administrator unloads the vfio_ap module',
  {
    meaning: 'rmmod vfio_ap (vfio_ap_exit); refused while a mediated device is open (the module reference taken by open).',
    example: 'When the administrator unloads the vfio_ap module',
  },
  function (this: ApWorld) {
    this.act(this.sys.vfioAp.unload());
  },
);

step(
  'Then',
  'the vfio_ap module is not loaded',
  {
    meaning: 'The vfio_ap module is not loaded now.',
    example: 'Then the vfio_ap module is not loaded',
  },
  function (this: ApWorld) {
    const last = this.last;
    this.check(
      () => expect(this.sys.vfioAp.loaded).to.equal(false),
      () =>
        `expected the vfio_ap module not to be loaded, but it is${last?.kind === 'outcome' && !last.outcome.ok ? ` (the last action failed: ${describeRefusal(last.outcome)})` : ''}`,
    );
  },
);
