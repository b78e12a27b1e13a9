@finding
Feature: Finding: on a KVM without a CRYCB, every policy of the thread crashes the host at release
  R5 asks that masks are written only where a CRYCB exists, and v11's crycbd check (like David's
  CRYCB check) keeps open from writing through a missing CRYCB. But the check runs after
  vfio_ap_mdev_set_kvm has stored the KVM in matrix_mdev->kvm, and a rejected check leaves it there
  (as v10 did). When the guest shuts down, vfio_ap_mdev_release sees matrix_mdev->kvm set and calls
  kvm_arch_crypto_clear_masks, which stores through kvm->arch.crypto.crycb == NULL into the first
  512 bytes, guarded by s390 low-address protection: an oops. Linux 4.20 itself is safe, because
  its KVM gives every VM a CRYCB; the scenario needs the pre-4.20 KVM the thread reasoned about.
  Specifies: vfio_ap_mdev_group_notifier, vfio_ap_mdev_set_kvm, vfio_ap_mdev_release,
  kvm_arch_crypto_clear_masks (Linux 4.20: 258287c994de "s390: vfio-ap: implement mediated device
  open callback" and the 2018-10-12 kvms390 pull that added kvm_arch_crypto_clear_masks).
  # "A check will be added here to verify the CRYCB is available" (Tony Krowiak, 2018-09-25)

  Scenario: A guest without a CRYCB opens an mdev and shuts down
    Given an s390 host
    And the host's KVM allocates a CRYCB only for guests with MSAX3
    And the host has no MSAX3 facility
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    When guest "g1" is started with mediated device "m1"
    And guest "g1" shuts down
    Then the host kernel has not crashed

  Scenario: On Linux 4.20's own KVM the same guest has a format-0 CRYCB and shuts down cleanly
    Given an s390 host
    And the host has no MSAX3 facility
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    When guest "g1" is started with mediated device "m1"
    And guest "g1" shuts down
    Then the host kernel has not crashed
