# "s390/vfio-ap: fix memory leak in mdev remove callback" (2021-05-19, Fixes 258287c994de, Cc stable;
# 5.13): the remove callback's non-zero return "does not prevent removal", so vfio_ap_mdev_remove no
# longer returns -EBUSY but unsets the KVM and frees. From 5.19 vfio_unregister_group_dev waits for the
# device fd to close, then the removal completes. 4.20 (v11 11/26, 258287c994de) refused with -EBUSY; "s390/vfio-ap: fix memory leak in mdev remove callback" (5.13, Fixes 258287c994de) made it clean up instead.
@history
Feature: Removing a mediated device in use cleans up instead of failing
  Since 5.13 removing the mediated device of a running guest is no longer refused: the device is
  gone once the removal completed (at once in 5.13, when the VMM closes the device from 5.19).

  Scenario: A mediated device removed while its guest runs is gone after the guest shut down
    Given an s390 host
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator removes mediated device "m1"
    And guest "g1" shuts down
    Then mediated device "m1" does not exist
