/**
 * Guests: starting them (QEMU or a minimal VMM), QEMU's vfio-ap device, and what runs inside a
 * guest (a Linux AP bus scan, single AP instructions; spec/steps.md, "Guests" and "What the guest
 * sees").
 */
import { expect } from 'chai';
import { formatRc, formatApqn, type GuestInstruction, type ProgramException } from '../src/sim/api';
import { step } from './support/define';
import { checkCpuModel } from './support/parse';
import { describeInstruction, type ApWorld } from './support/world';

const formatApqns = (qs: readonly number[]): string => (qs.length === 0 ? 'no AP queues' : qs.map(formatApqn).join(', '));

step(
  'Given',
  'a guest {string}',
  {
    meaning: 'A running QEMU guest with -cpu host (ap, apqci, apft on; APIE enabled) and no vfio-ap device.',
    example: 'Given a guest "g1"',
  },
  function (this: ApWorld, guest: string) {
    this.require(`starting guest "${guest}" (QEMU -cpu host)`, this.sys.qemu.start(guest));
  },
);

step(
  'Given',
  'a guest {string} with CPU model {string}',
  {
    meaning: "A running QEMU guest with this -cpu argument (e.g. host,ap=off: no APIE; host,msa3=off) and no vfio-ap device.",
    example: 'Given a guest "g1" with CPU model "host,ap=off"',
  },
  function (this: ApWorld, guest: string, cpuModel: string) {
    checkCpuModel(cpuModel);
    this.require(`starting guest "${guest}" (QEMU -cpu ${cpuModel})`, this.sys.qemu.start(guest, { cpuModel }));
  },
);

step(
  'Given',
  'a guest {string} started by a minimal VMM',
  {
    meaning: 'KVM_CREATE_VM and one vcpu, nothing else: no CPU model (so no QCI/APFT facilities), APIE off.',
    example: 'Given a guest "g1" started by a minimal VMM',
  },
  function (this: ApWorld, guest: string) {
    this.require(`creating guest "${guest}" with a minimal VMM`, this.sys.vmm.create(guest));
  },
);

step(
  'When',
  'guest {string} is started with mediated device {string}',
  {
    meaning: 'QEMU -cpu host -device vfio-ap,sysfsdev=<mdev>: the VFIO group joins the KVM, then the mdev is opened.',
    example: 'When guest "g1" is started with mediated device "m1"',
  },
  function (this: ApWorld, guest: string, mdev: string) {
    this.act(this.sys.qemu.start(guest, { mdev }));
  },
);

step(
  'When',
  'mediated device {string} is hot-plugged into guest {string}',
  {
    meaning: "QEMU's device_add vfio-ap,sysfsdev=<mdev>; QEMU refuses it with ap=off or when the guest already has a vfio-ap device.",
    example: 'When mediated device "m1" is hot-plugged into guest "g1"',
  },
  function (this: ApWorld, mdev: string, guest: string) {
    this.act(this.sys.qemu.deviceAdd(guest, mdev));
  },
);

step(
  'When',
  'mediated device {string} is unplugged from guest {string}',
  {
    meaning: "QEMU's device_del of the vfio-ap device: the mdev is released (masks cleared, queues reset).",
    example: 'When mediated device "m1" is unplugged from guest "g1"',
  },
  function (this: ApWorld, mdev: string, guest: string) {
    this.act(this.sys.qemu.deviceDel(guest, mdev));
  },
);

step(
  'When',
  'guest {string} shuts down',
  {
    meaning: 'QEMU quits (or the minimal VMM exits): devices are closed and the VM is destroyed.',
    example: 'When guest "g1" shuts down',
  },
  function (this: ApWorld, guest: string) {
    this.act(this.sys.qemu.shutdown(guest));
  },
);

step(
  'When',
  'guest {string} is reset',
  {
    meaning: "QEMU's system_reset: device resets, so VFIO_DEVICE_RESET on the guest's vfio-ap device (ZAPQ of its queues).",
    example: 'When guest "g1" is reset',
  },
  function (this: ApWorld, guest: string) {
    this.act(this.sys.qemu.systemReset(guest));
  },
);

step(
  'Then',
  'guest {string} sees AP queues {apqns}',
  {
    meaning: "Exactly these APQNs (any order) are what the guest's Linux AP bus finds (QCI if it has facility 12, TAPQ per APQN).",
    example: 'Then guest "g1" sees AP queues 02.0004 and 02.0005',
  },
  function (this: ApWorld, guest: string, expected: number[]) {
    const actual = [...this.sys.guest.scan(guest)].sort((a, b) => a - b);
    this.check(
      () => expect(actual).to.deep.equal(expected),
      () => `expected guest "${guest}" to see AP queues ${formatApqns(expected)}, but its AP bus scan found ${formatApqns(actual)}`,
    );
  },
);

step(
  'Then',
  'guest {string} sees no AP queues',
  {
    meaning: "The guest's Linux AP bus finds no AP queue.",
    example: 'Then guest "g1" sees no AP queues',
  },
  function (this: ApWorld, guest: string) {
    const actual = this.sys.guest.scan(guest);
    this.check(
      () => expect(actual).to.deep.equal([]),
      () => `expected guest "${guest}" to see no AP queues, but its AP bus scan found ${formatApqns(actual)}`,
    );
  },
);

step(
  'When',
  'guest {string} executes {ap_instruction} on {apqn}',
  {
    meaning:
      'The guest runs one AP instruction on an APQN (supervisor state; PQAP(AQIC) enables interruptions with a valid NIB): interpreted by firmware against the CRYCB (ECA.28) or intercepted (AQIC always; from 5.3 KVM handles it).',
    example: 'When guest "g1" executes PQAP(TAPQ) on 02.0004',
  },
  function (this: ApWorld, guest: string, insn: GuestInstruction, q: number) {
    this.actInstruction(this.sys.guest.execute(guest, insn, q));
  },
);

step(
  'When',
  'guest {string} executes PQAP\\(AQIC\\) on {apqn} in problem state',
  {
    meaning:
      'PQAP(AQIC) (enable interruptions, valid NIB) from a guest program in problem state: from Linux 5.3 KVM\'s handle_pqap injects a privileged-operation exception; 4.20 sends it to QEMU (operation exception).',
    example: 'When guest "g1" executes PQAP(AQIC) on 05.0004 in problem state',
  },
  function (this: ApWorld, guest: string, q: number) {
    this.actInstruction(this.sys.guest.execute(guest, 'PQAP(AQIC)', q, { problemState: true }));
  },
);

step(
  'Then',
  'the instruction sets condition code {int}',
  {
    meaning:
      "The last instruction completed and the guest PSW holds this condition code (a PQAP(AQIC) that KVM's handle_pqap completes with RC 0 leaves the previous cc before the Dec-2023 fix, sets 0 after it).",
    example: 'Then the instruction sets condition code 0',
  },
  function (this: ApWorld, cc: number) {
    const last = this.lastInstruction();
    const result = last.result;
    this.check(
      () => expect(result).to.include({ kind: 'completed', cc }),
      () => `expected "${last.action}" to set condition code ${cc}, but ${describeInstruction(result)}`,
    );
  },
);

step(
  'Then',
  'the instruction completes with response code {rc}',
  {
    meaning: 'The last instruction completed (no program exception) with this AP response code (0x00 normal, 0x01 APQN not available).',
    example: 'Then the instruction completes with response code 0x01',
  },
  function (this: ApWorld, rc: number) {
    const last = this.lastInstruction();
    const result = last.result;
    this.check(
      () => expect(result).to.include({ kind: 'completed', rc }),
      () => `expected "${last.action}" to complete with response code ${formatRc(rc)}, but ${describeInstruction(result)}`,
    );
  },
);

step(
  'Then',
  'the instruction completes with condition code {int}',
  {
    meaning: 'The last instruction completed with this condition code (0 normal, 3 with a response code such as 0x01).',
    example: 'Then the instruction completes with condition code 3',
  },
  function (this: ApWorld, cc: number) {
    const last = this.lastInstruction();
    const result = last.result;
    this.check(
      () => expect(result).to.include({ kind: 'completed', cc }),
      () => `expected "${last.action}" to complete with condition code ${cc}, but ${describeInstruction(result)}`,
    );
  },
);

step(
  'Then',
  'the guest receives a(n) {program_exception} exception',
  {
    meaning: 'The last instruction raised this program exception in the guest (operation: intercepted and unhandled by QEMU).',
    example: 'Then the guest receives an operation exception',
  },
  function (this: ApWorld, exception: ProgramException) {
    const last = this.lastInstruction();
    const result = last.result;
    this.check(
      () => expect(result).to.deep.equal({ kind: 'exception', exception }),
      () => `expected "${last.action}" to raise ${exception === 'operation' ? 'an' : 'a'} ${exception} exception in the guest, but ${describeInstruction(result)}`,
    );
  },
);
