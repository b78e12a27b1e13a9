Feature: Turning AP interpretation on and off
  Specifies kvm_s390_vm_set_crypto for KVM_S390_VM_CRYPTO_ENABLE_APIE / DISABLE_APIE and
  kvm_s390_vcpu_crypto_setup (arch/s390/kvm/kvm-s390.c, Linux 4.20): any holder of the VM fd may
  toggle APIE at any time; both attributes need AP instructions on the host (EOPNOTSUPP otherwise);
  on success every vcpu's ECA.28 is recomputed. With ECA.28 off every AP instruction is intercepted
  and QEMU, which has no handler, injects an operation exception. Nothing re-validates the mdev and
  the masks stay in the CRYCB. QEMU enables APIE when its CPU model has ap (the default with
  -cpu host) and never disables it.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4

  Scenario: QEMU with -cpu host has AP instructions interpreted
    Given a guest "g1"
    Then AP instructions of "g1" are interpreted by firmware
    And guest "g1" has facility 12
    And guest "g1" has facility 15

  Scenario: QEMU with ap=off leaves AP instructions intercepted
    Given a guest "g1" with CPU model "host,ap=off"
    Then AP instructions of "g1" are intercepted

  Scenario: A minimal VMM's guest has AP instructions intercepted until it enables APIE
    Given a guest "g1" started by a minimal VMM
    Then AP instructions of "g1" are intercepted
    When the VMM enables APIE for "g1"
    Then it succeeds
    And AP instructions of "g1" are interpreted by firmware

  Scenario: Disabling APIE while the guest runs intercepts its AP instructions
    Given guest "g1" is started with mediated device "m1"
    When the VMM disables APIE for "g1"
    Then it succeeds
    And AP instructions of "g1" are intercepted
    And the CRYCB masks of "g1" have adapters 2 and domains 4
    When guest "g1" executes PQAP(TAPQ) on 02.0004
    Then the guest receives an operation exception

  Scenario: Re-enabling APIE makes the queues usable again without reopening
    Given guest "g1" is started with mediated device "m1"
    And the VMM disables APIE for "g1"
    When the VMM enables APIE for "g1"
    And guest "g1" executes PQAP(TAPQ) on 02.0004
    Then the instruction completes with response code 0x00
