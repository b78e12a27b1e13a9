# v11 11/26 (2018-09-25), vfio_ap_mdev_group_notifier: "if (!matrix_mdev->kvm->arch.crypto.crycbd)
# return NOTIFY_DONE;" (the SEED thread's "verify the CRYCB is available"); from ~5.15 set_kvm acts only
# "if (kvm->arch.crypto.crycbd)". kvm_s390_crypto_init sets crycbd for every VM from 4.20 on, also
# without MSAX3 (format 0, kvm_s390_set_crycb_format), so the check never fires.
@history
Feature: The crycbd check still never fires
  A guest whose host has no MSAX3 still gets a CRYCB (format 0) from KVM, so vfio_ap's crycbd
  check passes and the guest's masks are written, in every release.

  Scenario: A guest without MSAX3 gets its mediated device's masks
    Given an s390 host
    And the host has no MSAX3 facility
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    Then the CRYCB of "g1" has format 0
    And the CRYCB masks of "g1" have adapters 2 and domains 4
