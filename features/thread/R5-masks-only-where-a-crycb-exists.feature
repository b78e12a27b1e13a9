@thread @R5
Feature: R5 Masks are written only where a CRYCB exists
  Specifies the "CRYCB available" check in vfio_ap_mdev_group_notifier (vfio_ap_ops.c,
  kvm->arch.crypto.crycbd != 0 in v11) before kvm_arch_crypto_set_masks writes the mdev's matrix
  through kvm->arch.crypto.crycb. On a host kernel whose kvm_s390_crypto_init allocates a CRYCB
  only for VMs with facility 76 (MSAX3), and a host without MSAX3, a guest has no CRYCB: writing
  masks there is a write through a NULL pointer, an oops.
  # Tony Krowiak, 2018-09-24:
  # "the CRYCB will be provided if the MSAX3 facility is installed (STFLE.76) for the guest
  #  regardless of whether AP instructions are available or not."
  # Tony Krowiak, 2018-09-25:
  # "A check will be added here to verify the CRYCB is available (i.e.,
  #  matrix_mdev->kvm->arch.crypto.crycbd != 0)."

  Scenario: On a KVM that gives a CRYCB only with MSAX3, a host without MSAX3 survives an mdev open
    Given an s390 host
    And the host's KVM allocates a CRYCB only for guests with MSAX3
    And the host has no MSAX3 facility
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    When guest "g1" is started with mediated device "m1"
    Then the host kernel has not crashed
