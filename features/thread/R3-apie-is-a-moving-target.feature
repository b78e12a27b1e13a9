@thread @R3
Feature: R3 APIE is a moving target
  Specifies the open-time validation in vfio_ap_mdev_group_notifier (vfio_ap_ops.c) against
  kvm_s390_vm_set_crypto (ENABLE_APIE / DISABLE_APIE, callable at any time) and
  kvm_s390_vcpu_crypto_setup (ECA.28): nothing re-validates the mediated device when APIE
  changes, so a check of kvm->arch.crypto.apie at open time decides for good on a value the VMM may
  change a moment later.
  # David Hildenbrand, 2018-09-24:
  # "I prefer ap_instructions_available(). As I said, kvm->arch.crypto.apie is a moving target."

  Scenario: Enabling APIE after the mdev was opened makes its queues usable without reopening
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1"
    When the VMM disables APIE for "g1"
    And the VMM opens mediated device "m1" for "g1"
    And the VMM enables APIE for "g1"
    Then AP instructions of "g1" are interpreted by firmware
    And guest "g1" sees AP queues 02.0004
