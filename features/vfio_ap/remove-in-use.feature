Feature: Removing a mediated device that is in use
  Specifies vfio_ap_mdev_remove by release (decision point vfio_ap.mdev_remove; 258287c994de, then
  "s390/vfio-ap: fix memory leak in mdev remove callback", 5.13):
  4.20 and 5.3 refuse with EBUSY while matrix_mdev->kvm is set (5.3 resets the queues when it
  does remove); from 5.13 ("s390/vfio-ap: fix memory leak in mdev remove callback", RMFX, Fixes
  258287c994de) removal unsets the KVM and frees; from 5.19 vfio_unregister_group_dev first waits
  until the VMM closes the device fd, and the removal completes then. An mdev whose kvm is NULL
  while its fd is open is unlinked and freed in 4.20 (the writer then waits for the close).

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4

  Scenario: From 5.13, removing a device a guest uses clears the guest's masks at once
    Given guest "g1" is started with mediated device "m1"
    When the administrator removes mediated device "m1"
    Then it succeeds
    And mediated device "m1" does not exist
    And the CRYCB masks of "g1" are empty

  Scenario: From 5.19, the removal waits for the VMM to close the device, then completes
    Given guest "g1" is started with mediated device "m1"
    When the administrator removes mediated device "m1"
    Then it fails
    And mediated device "m1" exists
    When guest "g1" shuts down
    Then mediated device "m1" does not exist

  Scenario: A device whose KVM is NULL while its fd is open is removed
    Given a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" without a KVM
    When the administrator removes mediated device "m1"
    Then it succeeds
    And mediated device "m1" does not exist
