Feature: Creating and removing mediated devices
  Specifies vfio_ap_mdev_create and vfio_ap_mdev_remove (drivers/s390/crypto/vfio_ap_ops.c, Linux
  4.20): create takes one of MAX_ZDEV_ENTRIES_EXT instances and initialises an empty matrix with
  limits apm_max/aqm_max/adm_max from the QCI; remove is refused with EBUSY while
  matrix_mdev->kvm is set (4.20's mdev core returns the callback's error to the writer of remove).
  matrix_mdev->kvm is set by the SET_KVM notifier before any open-time validation, and a failed
  validation leaves it set, so the refusal holds under every policy.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded

  Scenario: A new mediated device has an empty matrix
    When the administrator creates mediated device "m1"
    Then it succeeds
    And mediated device "m1" exists
    And the matrix of "m1" is empty

  Scenario: A mediated device no guest uses can be removed
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    When the administrator removes mediated device "m1"
    Then it succeeds
    And mediated device "m1" does not exist

  Scenario: A mediated device cannot be removed while a guest has it
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator removes mediated device "m1"
    Then it fails with EBUSY
    And mediated device "m1" exists

  Scenario: A mediated device can be removed after its guest shut down
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    And guest "g1" shuts down
    When the administrator removes mediated device "m1"
    Then it succeeds

  Scenario: A mediated device can be removed after the VMM closed it
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" for "g1"
    And the VMM closes mediated device "m1"
    When the administrator removes mediated device "m1"
    Then it succeeds
  # matrix_mdev->kvm is set by the SET_KVM notifier whatever the policy's check then decides, so a
  # minimal VMM that never enabled APIE still holds the mdev.

  Scenario: A mediated device cannot be removed while a minimal VMM has it open
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" for "g1"
    When the administrator removes mediated device "m1"
    Then it fails with EBUSY

  Scenario: After its guest shut down, the matrix of a mediated device can be changed again
    Given a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    And guest "g1" shuts down
    When the administrator assigns domain 5 to "m1"
    Then it succeeds
