/**
 * Mediated devices: the administrator's sysfs interface of vfio_ap (vfio_ap_mdev_create/remove,
 * assign_*_store / unassign_*_store, matrix_show, control_domains_show; spec/steps.md,
 * "Mediated devices").
 */
import { expect } from 'chai';
import type { MatrixAttr } from '../src/sim/api';
import { step } from './support/define';
import type { MatrixKind } from './support/parse';
import { describeRefusal, type ApWorld } from './support/world';

/** Write each id to an attribute; any refusal fails the Given as a precondition. */
function assignAll(world: ApWorld, mdev: string, attr: MatrixAttr, ids: readonly number[]): void {
  for (const id of ids)
    world.require(`writing "${id}" to ${attr} of "${mdev}"`, world.sys.vfioAp.store(mdev, attr, String(id)));
}

/** sysfs text without its final newline, to compare with a doc string. */
const sysfsText = (text: string): string => text.replace(/\n$/, '');

step(
  'Given',
  'a mediated device {string}',
  {
    meaning: 'The administrator created a vfio_ap-passthrough mediated device with this name (its UUID); needs the vfio_ap module loaded.',
    example: 'Given a mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.require(`creating mediated device "${mdev}"`, this.sys.vfioAp.createMdev(mdev));
  },
);

step(
  'Given',
  'mediated device {string} has adapters {ids} and domains {ids}',
  {
    meaning: 'Each adapter is written to assign_adapter, then each domain to assign_domain; a refusal fails the scenario as a precondition.',
    example: 'Given mediated device "m1" has adapters 2 and domains 4 and 5',
  },
  function (this: ApWorld, mdev: string, adapters: number[], domains: number[]) {
    assignAll(this, mdev, 'assign_adapter', adapters);
    assignAll(this, mdev, 'assign_domain', domains);
  },
);

step(
  'Given',
  'mediated device {string} has control domains {ids}',
  {
    meaning: 'Each id is written to assign_control_domain (no reservation or sharing check applies).',
    example: 'Given mediated device "m1" has control domains 4 and 0x0b',
  },
  function (this: ApWorld, mdev: string, ids: number[]) {
    assignAll(this, mdev, 'assign_control_domain', ids);
  },
);

step(
  'When',
  'the administrator creates mediated device {string}',
  {
    meaning: 'Write a UUID to the vfio_ap-passthrough type\'s create attribute (vfio_ap_mdev_create).',
    example: 'When the administrator creates mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vfioAp.createMdev(mdev));
  },
);

step(
  'When',
  'the administrator assigns {matrix_kind} {id} to {string}',
  {
    meaning: 'echo id > assign_adapter / assign_domain / assign_control_domain of the mdev (checks in kernel order).',
    example: 'When the administrator assigns adapter 5 to "m1"',
  },
  function (this: ApWorld, kind: MatrixKind, id: number, mdev: string) {
    this.act(this.sys.vfioAp.store(mdev, `assign_${kind}`, String(id)));
  },
);

step(
  'When',
  'the administrator unassigns {matrix_kind} {id} from {string}',
  {
    meaning: 'echo id > unassign_adapter / unassign_domain / unassign_control_domain of the mdev.',
    example: 'When the administrator unassigns domain 4 from "m1"',
  },
  function (this: ApWorld, kind: MatrixKind, id: number, mdev: string) {
    this.act(this.sys.vfioAp.store(mdev, `unassign_${kind}`, String(id)));
  },
);

step(
  'When',
  'the administrator writes {string} to {matrix_attr} of {string}',
  {
    meaning: 'Write raw text to an mdev attribute, as echo -n would: parsed by kstrtoul(buf, 0) (decimal, 0x hex, 0 octal).',
    example: 'When the administrator writes "0x" to assign_adapter of "m1"',
  },
  function (this: ApWorld, text: string, attr: MatrixAttr, mdev: string) {
    this.act(this.sys.vfioAp.store(mdev, attr, text));
  },
);

step(
  'When',
  'the administrator removes mediated device {string}',
  {
    meaning: 'echo 1 > remove of the mdev (vfio_ap_mdev_remove): EBUSY while a KVM is attached.',
    example: 'When the administrator removes mediated device "m1"',
  },
  function (this: ApWorld, mdev: string) {
    this.act(this.sys.vfioAp.removeMdev(mdev));
  },
);

step(
  'Then',
  'mediated device {string} exists',
  {
    meaning: 'The mdev is present under the matrix device.',
    example: 'Then mediated device "m1" exists',
  },
  function (this: ApWorld, mdev: string) {
    this.check(
      () => expect(this.sys.vfioAp.hasMdev(mdev)).to.equal(true),
      () => `expected mediated device "${mdev}" to exist, but the simulated vfio_ap has no such mdev`,
    );
  },
);

step(
  'Then',
  'mediated device {string} does not exist',
  {
    meaning: 'The mdev is not (or no longer) present.',
    example: 'Then mediated device "m1" does not exist',
  },
  function (this: ApWorld, mdev: string) {
    this.check(
      () => expect(this.sys.vfioAp.hasMdev(mdev)).to.equal(false),
      () => `expected mediated device "${mdev}" not to exist, but the simulated vfio_ap still has it`,
    );
  },
);

step(
  'Then',
  'the matrix of {string} reads:',
  {
    meaning: 'cat matrix: one line per APQN in APID-major order ("05.0004"), "05." with only adapters, ".0004" with only domains.',
    example: 'Then the matrix of "m1" reads:\n  """\n  02.0004\n  02.0005\n  """',
  },
  function (this: ApWorld, mdev: string, expected: string) {
    const actual = sysfsText(this.sys.vfioAp.show(mdev, 'matrix'));
    this.check(
      () => expect(actual).to.equal(expected),
      () => `expected the matrix of "${mdev}" to read\n${indent(expected)}\nbut the simulated vfio_ap shows\n${indent(actual)}`,
    );
  },
);

step(
  'Then',
  'the matrix of {string} is empty',
  {
    meaning: 'cat matrix prints nothing: no adapter and no domain is assigned.',
    example: 'Then the matrix of "m1" is empty',
  },
  function (this: ApWorld, mdev: string) {
    const actual = sysfsText(this.sys.vfioAp.show(mdev, 'matrix'));
    this.check(
      () => expect(actual).to.equal(''),
      () => `expected the matrix of "${mdev}" to be empty, but the simulated vfio_ap shows\n${indent(actual)}`,
    );
  },
);

step(
  'Then',
  'the control domains of {string} read:',
  {
    meaning: 'cat control_domains: one "%04x" line per assigned control domain ("00ab").',
    example: 'Then the control domains of "m1" read:\n  """\n  0004\n  00ab\n  """',
  },
  function (this: ApWorld, mdev: string, expected: string) {
    const actual = sysfsText(this.sys.vfioAp.show(mdev, 'control_domains'));
    this.check(
      () => expect(actual).to.equal(expected),
      () => `expected the control domains of "${mdev}" to read\n${indent(expected)}\nbut the simulated vfio_ap shows\n${indent(actual)}`,
    );
  },
);

step(
  'Then',
  'the guest matrix of {string} reads:',
  {
    meaning:
      'cat guest_matrix (Linux 6.0+): the shadow APCB, the matrix filtered by the host configuration and by the queues bound to vfio_ap, in the matrix format. ' +
      'On a kernel without the attribute the step fails naming linux-6.0, the release that added it.',
    example: 'Then the guest matrix of "m1" reads:\n  """\n  02.0004\n  """',
  },
  function (this: ApWorld, mdev: string, expected: string) {
    const read = this.sys.vfioAp.guestMatrix(mdev);
    if (!read.ok) throw this.failure(`cannot read the guest matrix of "${mdev}": ${describeRefusal(read)}`);
    const actual = sysfsText(read.value);
    this.check(
      () => expect(actual).to.equal(expected),
      () => `expected the guest matrix of "${mdev}" to read\n${indent(expected)}\nbut the simulated vfio_ap shows\n${indent(actual)}`,
    );
  },
);

function indent(text: string): string {
  return text === '' ? '  (nothing)' : text.split('\n').map((line) => `  ${line}`).join('\n');
}
