@finding
Feature: Finding: DISABLE_APIE does not reach the vcpus of a guest without MSAX3
  The thread settled on "if QEMU asks for an intercept, it shall get an intercept". In Linux 4.20,
  kvm_s390_vm_set_crypto(DISABLE_APIE) clears kvm->arch.crypto.apie and redoes every vcpu's crypto
  set-up (kvm_s390_vcpu_crypto_reset_all), but kvm_s390_vcpu_crypto_setup returns at once when APIE
  is off and the guest lacks facility 76 (MSAX3): ECA.28 keeps the value it had, so firmware goes on
  interpreting the guest's AP instructions against the CRYCB. No open-time policy of the thread
  changes this (the check they argue about runs in vfio_ap, not in the vcpu set-up), so both
  scenarios below hold or fail alike under every policy.
  Specifies: kvm_s390_vm_set_crypto, kvm_s390_vcpu_crypto_reset_all, kvm_s390_vcpu_crypto_setup
  (read from kvm_s390_vcpu_crypto_setup as merged in 4.20 with 37940fb0b6a2 "KVM: s390: device attrs
  to enable/disable AP interpretation"; no kernel test exercises the stale bit).

  Background:
    Given an s390 host
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
  # "If QEMU asks for an intercept, it shall get an intercept." (David Hildenbrand, 2018-09-24)

  Scenario: A guest without MSAX3 still gets its AP instructions intercepted after DISABLE_APIE
    Given a guest "g1" with CPU model "host,msa3=off"
    When the VMM opens mediated device "m1" for "g1"
    And the VMM disables APIE for "g1"
    Then it succeeds
    And AP instructions of "g1" are intercepted

  Scenario: What 4.20 does instead: ECA.28 stays set and the guest keeps using its queue
    Given a guest "g1" with CPU model "host,msa3=off"
    When the VMM opens mediated device "m1" for "g1"
    And the VMM disables APIE for "g1"
    Then AP instructions of "g1" are interpreted by firmware
    And guest "g1" sees AP queues 02.0004

  Scenario: With MSAX3 the same request is honoured
    Given a guest "g1"
    When the VMM opens mediated device "m1" for "g1"
    And the VMM disables APIE for "g1"
    Then AP instructions of "g1" are intercepted
