Feature: One mediated device per KVM
  Specifies vfio_ap_mdev_set_kvm and vfio_ap_mdev_group_notifier (drivers/s390/crypto/vfio_ap_ops.c,
  Linux 4.20): when SET_KVM arrives for a KVM another mdev already holds, set_kvm returns EPERM,
  the notifier maps it to NOTIFY_DONE, and the vfio core ignores the notifier's result: open still
  returns 0, but matrix_mdev->kvm stays NULL and no masks are written. The refusal comes before any
  policy check, so it holds under every policy.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5

  Scenario: A second mdev opened for the same KVM opens, but its masks are not written
    Given guest "g1" is started with mediated device "m1"
    When the VMM opens mediated device "m2" for "g1"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and domains 4
    And guest "g1" sees AP queues 02.0004

  Scenario: The second mdev is not bound to the KVM, so it can still be changed and removed
    Given guest "g1" is started with mediated device "m1"
    And the VMM opens mediated device "m2" for "g1"
    When the administrator assigns domain 6 to "m2"
    Then it succeeds
    When the VMM closes mediated device "m2"
    And the administrator removes mediated device "m2"
    Then it succeeds

  Scenario: The first mdev stays bound to the KVM
    Given guest "g1" is started with mediated device "m1"
    And the VMM opens mediated device "m2" for "g1"
    When the administrator removes mediated device "m1"
    Then it fails with EBUSY
  # vfio_ap_mdev_release clears the CRYCB masks only if matrix_mdev->kvm is set, and it is not
  # for the refused second mdev.

  Scenario: Closing the refused second mdev leaves the guest's masks alone
    Given guest "g1" is started with mediated device "m1"
    And the VMM opens mediated device "m2" for "g1"
    When the VMM closes mediated device "m2"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and domains 4
    And guest "g1" sees AP queues 02.0004
