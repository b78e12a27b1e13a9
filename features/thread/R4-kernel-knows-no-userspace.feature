@thread @R4
Feature: R4 The kernel knows nothing about userspace
  Specifies the open-time validation in vfio_ap_mdev_group_notifier (vfio_ap_ops.c; in v10
  kvm_ap_validate_crypto_setup, which tested KVM_S390_VM_CPU_FEAT_AP in kvm->arch.cpu_feat):
  a check must rest on what KVM and firmware do, not on what QEMU's CPU model happens to set. A
  minimal VMM that enables APIE and opens the mdev, but never sets a CPU model, must get its queues.
  Such a guest has no QCI and no APFT facility, so its Linux AP bus would find nothing: the scenario
  executes one instruction instead of scanning.
  # Tony Krowiak, 2018-09-24:
  # "I realize that our CPU model protects against configuring a vfio-ap device for the guest if
  #  ap=off, but this function knows nothing about userspace. I can make a similar argument that
  #  kvm->arch.crypto.apie will be switched on only if ap=on but again, that is userspace
  #  configuration."

  Scenario: A VMM that enables APIE but sets no CPU model still reaches its queues
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    When the VMM enables APIE for "g1"
    And the VMM opens mediated device "m1" for "g1"
    And guest "g1" executes PQAP(TAPQ) on 02.0004
    Then the instruction completes with response code 0x00
