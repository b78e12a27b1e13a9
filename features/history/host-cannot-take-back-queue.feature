# DOC18 (Documentation/s390/vfio-ap.txt, 4.20, "Limitations"): the administrator can take an adapter or
# domain assigned to a running guest back for the host through apmask/aqmask. Fixed by the AP bus
# in_use callback ("s390/ap: driver callback to indicate resource in use", 4f8206b88286, 5.18) with
# vfio_ap_mdev_resource_in_use (6.0): apmask_commit (drivers/s390/crypto/ap_bus.c) returns -EBUSY.
@history
Feature: The host cannot take back a queue a guest uses
  From 6.0 an apmask or aqmask edit that would give the host's default drivers an APQN assigned to a
  mediated device fails with EBUSY; before, the queue went back to zcrypt under the guest's feet.

  Scenario: Giving a running guest's adapter back to the host fails with EBUSY
    Given an s390 host
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator writes "+2" to the AP bus apmask
    Then it fails with EBUSY
    And queue 02.0004 is bound to vfio_ap
