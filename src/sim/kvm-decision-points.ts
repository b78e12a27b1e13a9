/**
 * KVM's era decision points (issue 10): how a kernel release's KVM treats PQAP(AQIC) and the
 * facilities and execution controls that go with it. Spread into DECISION_POINTS
 * (src/sim/decisions.ts); each option cites the kernel function and commit or release it models.
 * Only types come from './decisions' (a runtime import would be a cycle). It sits at the root of
 * src/sim, not in kvm/, because decisions.ts (a foundation every layer imports) imports it, and a
 * foundation imports no layer (tests/architecture.test.ts).
 */
import type { ShapePointSpec } from './decisions';

export const KVM_DECISION_POINTS = {
  'kvm.handle_pqap': {
    kind: 'shape',
    fn: 'handle_pqap',
    question: 'Does KVM handle an intercepted PQAP(AQIC) in the kernel, or does the intercept exit to userspace?',
    options: {
      none: {
        summary: 'no handler for B2AF: the intercept exits to userspace and QEMU injects an operation exception',
        source: 'Linux 4.20-5.2: arch/s390/kvm/priv.c handle_b2 has no PQAP entry; QEMU handle_b2 has no case (reference §1.6, §2.12 E1)',
      },
      'priv-handle_pqap': {
        summary:
          'handle_pqap in the reference order: no AP instructions / ECA_APIE clear / fc != 3 -> userspace; problem state -> privileged-operation; ' +
          'GR0 bits 41-47, T bit without facility 15, APID > 63 or APQI > 15 without a format-2 CRYCB, no facility 65 -> specification; ' +
          'then the pqap_hook under pqap_hook_rwsem, or RC 0x01 with cc 3',
        source: 'arch/s390/kvm/priv.c handle_pqap, e5282de93105 "s390: ap: kvm: add PQAP interception for AQIC" (5.3); 5615e74f48dc (2020) drops the WARN for fc != 3',
      },
    },
  } satisfies ShapePointSpec,
  'kvm.aqic_cc': {
    kind: 'shape',
    fn: 'handle_pqap',
    question: 'Which condition code does a PQAP(AQIC) that the hook completed with response code 0 set?',
    options: {
      unchanged: {
        summary: 'only a non-zero response code sets cc 3; with RC 0 the guest PSW keeps whatever cc it had (apspec: the cc before the instruction, 0)',
        source: 'arch/s390/kvm/priv.c handle_pqap from e5282de93105 (5.3) until CCFX',
      },
      cc0: {
        summary: 'RC 0 sets cc 0 explicitly (kvm_s390_set_psw_cc(vcpu, 0))',
        source: 'arch/s390/kvm/priv.c handle_pqap after 83303a4c776c "KVM: s390: fix cc for successful PQAP" (Eric Farman, posted Dec 2023, Fixes e5282de93105; pulled as kvm-s390-master-6.8-1, in Linux 6.8)',
      },
    },
  } satisfies ShapePointSpec,
  'kvm.facility_65': {
    kind: 'shape',
    fn: 'kvm_arch_init_vm',
    question: 'Does KVM offer facility 65 (AP queue interruption control) to guests?',
    options: {
      'not-offered': {
        summary: 'facility 65 is in neither FACILITIES_KVM nor FACILITIES_KVM_CPUMODEL: no guest has it',
        source: 'Linux 4.20 arch/s390/tools/gen_facilities.c (reference §1.6a, §2.12 E1)',
      },
      cpumodel: {
        summary: 'facility 65 is in FACILITIES_KVM_CPUMODEL: a guest has it when its CPU model (-cpu host, apqi) asks for it',
        source: 'arch/s390/tools/gen_facilities.c, the 5.3 AP interrupt series (e5282de93105 and its series; reference §1.6a)',
      },
    },
  } satisfies ShapePointSpec,
  'kvm.gisa': {
    kind: 'shape',
    fn: 'kvm_arch_vcpu_setup',
    question: 'Do vcpus get ECA_AIV (adapter-interruption virtualization through the GISA) when the host has it?',
    options: {
      none: {
        summary: 'no vcpu gets ECA_AIV (apspec\'s 4.20, per kernels.md; nothing reads the bit before vfio_ap\'s 5.3 AQIC handler, so no 4.20 scenario can tell)',
        source: 'kernels.md "Defaults that the later kernels need" (ECA_AIV from 5.3); kvm_arch_vcpu_setup sets ECA_AIV whenever sie_block->gd is set, which may predate 5.3 (GISA series, 4.19/4.20): unobservable there',
      },
      'gisa-aiv': {
        summary: 'a vcpu whose VM has a GISA (the host has AIV) gets ECA_AIV; vfio_ap\'s handle_pqap needs it',
        source: 'arch/s390/kvm/kvm-s390.c kvm_arch_vcpu_setup (vcpu->arch.sie_block->eca |= ECA_AIV when the GISA is set), read by vfio_ap handle_pqap from 5.3 (reference §1.5, §2.12)',
      },
    },
  } satisfies ShapePointSpec,
} as const;
