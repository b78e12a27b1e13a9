/**
 * KVM's crypto set-up for a VM and its vcpus (arch/s390/kvm/kvm-s390.c, Linux 4.20 after PULL2;
 * reference §1.4, §2.9-§2.11).
 */
import type { Bitmap256 } from '../bitmap';
import { Crycb, CRYCB_FORMAT0, CRYCB_FORMAT1, CRYCB_FORMAT2, CRYCB_FORMAT_MASK, APCB0_BITS, apcbFor, crycbFormatOf } from '../firmware/crycb';
import { ECA_APIE } from '../firmware/ap-instructions';
import { FAC_MSAX3 } from '../firmware/facilities';
import type { Kernel } from '../kernel';
import type { Vcpu, Vm } from './vm';

export const ECB3_AES = 0x04;
export const ECB3_DEA = 0x08;

/** Bytes of each mask kvm_arch_crypto_set_masks copies into APCB0 (formats 0/1): apm 8, aqm 2, adm 2. */
export const APCB0_APM_BYTES = 8;
export const APCB0_AQM_BYTES = 2;
export const APCB0_ADM_BYTES = 2;
/** ... and into APCB1 (format 2): 32 bytes each. */
export const APCB1_MASK_BYTES = 32;

/** Host-kernel switch: KVM before the 4.20 crypto-init refactor allocates a CRYCB only with MSAX3. */
export interface KvmBuild {
  crycbOnlyWithMsax3: boolean;
}

/**
 * kvm_s390_apxa_installed (4.20): AP instructions available and QCI succeeds with APXA set.
 */
function apxaInstalled(k: Kernel): boolean {
  // ap_instructions_available() && ap_qci(&info) == 0 && info.apxa, without building the QCI block.
  return k.machine.apInstructionsAvailable() && k.machine.qciAvailable() && k.machine.apxa;
}

/**
 * kvm_s390_set_crycb_format: format 0 without facility 76 in the VM's (initial) facility list, else
 * format 2 with APXA, else format 1. Runs once at VM creation; KVM_S390_VM_CPU_PROCESSOR later does
 * not recompute it [code-read, reference §2.10].
 */
function setCrycbFormat(k: Kernel, vm: Vm, address: number): void {
  let format: number;
  if (!vm.hasFacility(FAC_MSAX3)) format = CRYCB_FORMAT0;
  else if (apxaInstalled(k)) format = CRYCB_FORMAT2;
  else format = CRYCB_FORMAT1;
  vm.crypto.crycbd = address | format;
}

/**
 * kvm_s390_crypto_init (from kvm_arch_init_vm). Linux 4.20: every VM gets a CRYCB
 * (&sie_page2->crycb) and a format; only the wrapping keys depend on facility 76. Before 4.20 the
 * function returned at once without facility 76, leaving crycb NULL and crycbd 0: the host switch
 * `crycbOnlyWithMsax3` models that kernel.
 */
export function kvmS390CryptoInit(k: Kernel, vm: Vm, build: KvmBuild): void {
  const msax3 = vm.hasFacility(FAC_MSAX3);
  if (build.crycbOnlyWithMsax3 && !msax3) {
    if (k.trace.recording) k.trace.call('kvm', 'kvm_s390_crypto_init', `${vm.name}: no facility 76 (pre-4.20 KVM)`, 'no CRYCB, crycbd 0');
    return;
  }
  vm.crypto.crycb = new Crycb();
  // A fake, page-aligned, non-zero address of sie_page2->crycb (the low bits carry the format).
  setCrycbFormat(k, vm, 0x10000000 + vm.id * 0x1000);
  if (msax3) {
    vm.crypto.aesKw = true;
    vm.crypto.deaKw = true;
    vm.crypto.crycb.aesWrappingKey = true;
    vm.crypto.crycb.deaWrappingKey = true;
  }
  if (k.trace.recording)
    k.trace.call(
      'kvm',
      'kvm_s390_crypto_init',
      `${vm.name}: CRYCB format ${crycbFormatOf(vm.crypto.crycbd)}${msax3 ? ', AES/DEA key wrapping on' : ''}`,
      `crycbd 0x${vm.crypto.crycbd.toString(16)}`,
    );
}

/**
 * kvm_s390_vcpu_crypto_setup (4.20; reference §2.11). Without APIE and without facility 76 it returns
 * at once and leaves crycbd/eca/ecb3 as they were (zero at vcpu creation, but a stale ECA_APIE after
 * DISABLE_APIE for a guest without MSAX3). Reference §5.4 marks that stale bit [code-read], confirmed
 * by no source or test; apspec follows the code as read (features/findings/stale-eca-*).
 */
export function kvmS390VcpuCryptoSetup(k: Kernel, vm: Vm, vcpu: Vcpu): void {
  if (!vm.crypto.apie && !vm.hasFacility(FAC_MSAX3)) {
    if (k.trace.recording) k.trace.call('kvm', 'kvm_s390_vcpu_crypto_setup', `${vm.name} vcpu ${vcpu.id}: no APIE, no facility 76`, 'nothing set up');
    return;
  }
  const sie = vcpu.sie;
  sie.crycbd = vm.crypto.crycbd;
  sie.ecb3 &= ~(ECB3_AES | ECB3_DEA);
  sie.eca &= ~ECA_APIE;
  if (vm.crypto.apie) sie.eca |= ECA_APIE;
  if (vm.crypto.aesKw) sie.ecb3 |= ECB3_AES;
  if (vm.crypto.deaKw) sie.ecb3 |= ECB3_DEA;
  if (k.trace.recording)
    k.trace.call(
      'kvm',
      'kvm_s390_vcpu_crypto_setup',
      `${vm.name} vcpu ${vcpu.id}: crycbd 0x${sie.crycbd.toString(16)}`,
      (sie.eca & ECA_APIE) !== 0 ? 'ECA.28 set (AP instructions interpreted)' : 'ECA.28 clear (AP instructions intercepted)',
    );
}

/**
 * kvm_s390_vcpu_crypto_reset_all: block all vcpus, redo each vcpu's crypto set-up, send each a
 * synchronous KVM_REQ_VSIE_RESTART, unblock.
 */
export function kvmS390VcpuCryptoResetAll(k: Kernel, vm: Vm): void {
  for (const vcpu of vm.vcpus) kvmS390VcpuCryptoSetup(k, vm, vcpu);
  if (k.trace.recording) k.trace.call('kvm', 'kvm_s390_vcpu_crypto_reset_all', `${vm.name}: KVM_REQ_VSIE_RESTART`, `${vm.vcpus.length} vcpus`);
}

function hexWords(mask: Bitmap256, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += mask.words[i]!.toString(16).padStart(8, '0');
  return s;
}

/**
 * A store through a NULL CRYCB pointer. The APCBs sit at offsets 0x00 and 0x80, inside the first 512
 * bytes, which s390's low-address protection guards: the store is a protection exception in kernel
 * mode, i.e. an oops.
 */
function crycbMissing(k: Kernel, vm: Vm, fn: string): boolean {
  if (vm.crypto.crycb) return false;
  k.oops('kvm', fn, `${vm.name}: kvm->arch.crypto.crycb is NULL; the store to the APCB hits low-address protection`);
  return true;
}

/**
 * kvm_arch_crypto_set_masks (4.20, PULL2): copy the masks into the APCB the CRYCB format uses:
 * format 2 -> APCB1, 32 bytes each; formats 0/1 -> APCB0, 8 bytes of apm (APIDs 0-63) and 2 bytes
 * of aqm and adm (ids 0-15). Unknown formats copy nothing (FIX1). Then every vcpu gets
 * KVM_REQ_VSIE_RESTART. Returns false if the host crashed.
 */
export function kvmArchCryptoSetMasks(k: Kernel, vm: Vm, apm: Bitmap256, aqm: Bitmap256, adm: Bitmap256): boolean {
  if (crycbMissing(k, vm, 'kvm_arch_crypto_set_masks')) return false;
  const crycb = vm.crypto.crycb!;
  const format = vm.crypto.crycbd & CRYCB_FORMAT_MASK;
  if (format === CRYCB_FORMAT2) {
    crycb.apcb1.apm.copyFrom(apm);
    crycb.apcb1.aqm.copyFrom(aqm);
    crycb.apcb1.adm.copyFrom(adm);
    // The VM_EVENT text costs more than the copy: build it only for a trace that records.
    if (k.trace.recording)
      k.trace.vmEvent(
        vm.name,
        'kvm_arch_crypto_set_masks',
        `SET CRYCB: apm ${hexWords(apm, 8)} aqm ${hexWords(aqm, 8)} adm ${hexWords(adm, 8)}`,
        `APCB1, ${APCB1_MASK_BYTES} bytes each`,
      );
  } else if (format === CRYCB_FORMAT1 || format === CRYCB_FORMAT0) {
    copyPrefix(crycb.apcb0.apm, apm, APCB0_APM_BYTES * 8);
    copyPrefix(crycb.apcb0.aqm, aqm, APCB0_AQM_BYTES * 8);
    copyPrefix(crycb.apcb0.adm, adm, APCB0_ADM_BYTES * 8);
    if (k.trace.recording)
      k.trace.vmEvent(
        vm.name,
        'kvm_arch_crypto_set_masks',
        `SET CRYCB: apm ${hexWords(apm, 2)} aqm ${aqm.words[0]!.toString(16).padStart(8, '0').slice(0, 4)} adm ${adm.words[0]!.toString(16).padStart(8, '0').slice(0, 4)}`,
        `APCB0: ${APCB0_APM_BYTES} bytes apm, ${APCB0_AQM_BYTES} bytes aqm, ${APCB0_ADM_BYTES} bytes adm`,
      );
  } else {
    if (k.trace.recording) k.trace.call('kvm', 'kvm_arch_crypto_set_masks', `${vm.name}: unknown CRYCB format ${format}`, 'nothing copied');
  }
  if (k.trace.recording) k.trace.call('kvm', 'kvm_s390_sync_request_broadcast', `${vm.name}: KVM_REQ_VSIE_RESTART`, `${vm.vcpus.length} vcpus`);
  return true;
}

/** memcpy of the first `bits` ids (a byte prefix in the inverted bit order); the rest of the field is left as is. */
function copyPrefix(dst: Bitmap256, src: Bitmap256, bits: number): void {
  for (let id = 0; id < bits && id < APCB0_BITS; id++) (src.test(id) ? dst.set(id) : dst.clear(id));
}

/** kvm_arch_crypto_clear_masks: zero APCB0 and APCB1, KVM_REQ_VSIE_RESTART. Returns false on a crash. */
export function kvmArchCryptoClearMasks(k: Kernel, vm: Vm): boolean {
  if (crycbMissing(k, vm, 'kvm_arch_crypto_clear_masks')) return false;
  const crycb = vm.crypto.crycb!;
  for (const apcb of [crycb.apcb0, crycb.apcb1]) {
    apcb.apm.words.fill(0);
    apcb.aqm.words.fill(0);
    apcb.adm.words.fill(0);
  }
  k.trace.vmEvent(vm.name, 'kvm_arch_crypto_clear_masks', 'CLR CRYCB', 'APCB0 and APCB1 zeroed');
  return true;
}

/** The CRYCB's AP masks as its format holds them (APCB0 for formats 0/1, APCB1 for format 2). */
export interface CrycbMasks {
  readonly format: 0 | 1 | 2;
  readonly apm: readonly number[];
  readonly aqm: readonly number[];
  readonly adm: readonly number[];
}

/**
 * What KVM's VM_EVENT "SET CRYCB" lines and a debugger reading sie_page2->crycb would show: the
 * masks in the APCB the VM's CRYCB format uses (APCB1 for format 2, the 64/16 ids of APCB0
 * otherwise), or undefined when KVM allocated no CRYCB (pre-4.20 KVM, crycbd 0).
 */
export function kvmCrycbMasks(vm: Vm): CrycbMasks | undefined {
  const crycb = vm.crypto.crycb;
  if (!crycb || vm.crypto.crycbd === 0) return undefined;
  const format = crycbFormatOf(vm.crypto.crycbd);
  const apcb = apcbFor(crycb, vm.crypto.crycbd);
  const max = format === 2 ? 255 : APCB0_BITS - 1;
  return { format, apm: apcb.apm.ids(max), aqm: apcb.aqm.ids(max), adm: apcb.adm.ids(max) };
}

/** Whether every vcpu of the VM interprets AP instructions (ECA.28, ECA_APIE, set by kvm_s390_vcpu_crypto_setup). */
export function kvmApInterpreted(vm: Vm): boolean {
  return vm.vcpus.length > 0 && vm.vcpus.every((v) => (v.sie.eca & ECA_APIE) !== 0);
}
