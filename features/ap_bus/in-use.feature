Feature: apmask and aqmask edits ask vfio_ap whether the APQNs are in use
  Specifies apmask_commit / aqmask_commit with vfio_ap's in_use callback (decision point
  ap_bus.in_use; the callback is 4f8206b88286, 5.18, vfio_ap's is vfio_ap_mdev_resource_in_use, 6.0): from 6.0 an edit that would give the host's default drivers
  an APQN assigned to any mediated device fails with EBUSY and leaves the mask as it was (the AP bus
  callback came in 5.18, 4f8206b88286; vfio_ap implements it from 6.0). Before, any edit that
  parses is accepted and the queue goes back to zcrypt, even from a running guest (DOC18
  "Limitations").

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4

  Scenario: From 6.0, the host cannot take back an adapter assigned to a mediated device
    When the administrator writes "+2" to the AP bus apmask
    Then it fails with EBUSY
    And queue 02.0004 is bound to vfio_ap

  Scenario: From 6.0, the host cannot take back a domain assigned to a mediated device
    Given domains 5 are reserved for pass-through
    And a mediated device "m2"
    And mediated device "m2" has adapters 1 and domains 5
    When the administrator writes "+5" to the AP bus aqmask
    Then it fails with EBUSY
    And queue 01.0005 is bound to vfio_ap

  Scenario: Giving back a domain is no conflict while its assigned adapters stay reserved
    Given domains 4 are reserved for pass-through
    And guest "g1" is started with mediated device "m1"
    When the administrator writes "+4" to the AP bus aqmask
    Then it succeeds
    And queue 02.0004 is bound to vfio_ap

  Scenario: An adapter no mediated device has can be given back to the host
    When the administrator writes "+3" to the AP bus apmask
    Then it succeeds
    And queue 03.0004 is bound to the default driver

  Scenario: Up to 5.19, the host takes back an adapter from a running guest
    Given guest "g1" is started with mediated device "m1"
    When the administrator writes "+2" to the AP bus apmask
    Then it succeeds
    And queue 02.0004 is bound to the default driver
