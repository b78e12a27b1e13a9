/**
 * The simulator's front door: the one module outside code (steps, the report, the explorer, the
 * CLI) imports from src/sim. Everything here is a re-export; the layers behind it never import this
 * file, so there is no loop through it.
 *
 * - A System per scenario: `createSystem` and the SystemApi interfaces (system-api.ts), the
 *   explorer's snapshots (`cloneSystem`, `stateKey`).
 * - The policy seam: decision points, options and their evaluation (decisions.ts).
 * - The words steps parse and print: APQNs, errnos, response codes, facilities, device types, the
 *   instruction and attribute names, QEMU's CPU-model syntax, trace formatting.
 */
export * from './system-api';
export { System, createSystem, type CreateSystemOptions } from './system';
export { cloneSystem, stateKey, type CloneOptions } from './snapshot';
export * from './decisions';
export * from './errno';
export { apqn, apidOf, apqiOf, formatApqn, type Apqn } from './apqn';
export { formatEvent, formatTrace, type Layer, type TraceEvent, type CallEvent, type DecisionEvent, type VmEvent, type OopsEvent } from './trace';
export type { MaskKind } from './ap-bus/ap-bus';
export { MATRIX_ATTRS, type MatrixAttr } from './vfio-ap/sysfs';
export { GUEST_INSTRUCTIONS, type GuestInstruction, type InstructionResult, type ProgramException } from './firmware/ap-instructions';
export { FAC_QCI, FAC_APFT, FAC_AQIC, FAC_MSAX3, DEFAULT_HOST_FACILITIES } from './firmware/facilities';
export { cexDeviceType, AP_DEVICE_TYPE_CEX4, AP_DEVICE_TYPE_CEX6, AP_DEVICE_TYPE_CEX8 } from './firmware/ap-config';
export { formatRc } from './firmware/response-codes';
export { CPU_FEATURES, parseCpuModel, type CpuFeature } from './qemu/cpu-model';
export { KVM_S390_VM_CRYPTO, type CryptoAttrName } from './kvm/kvm';
export type { CrycbMasks } from './kvm/crypto';
