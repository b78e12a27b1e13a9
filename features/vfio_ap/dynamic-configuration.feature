Feature: Dynamic configuration of a running guest
  Specifies the 6.0 dynamic configuration (decision point vfio_ap.matrix; vfio_ap_mdev_update_guest_apcb,
  vfio_ap_mdev_filter_matrix in drivers/s390/crypto/vfio_ap_ops.c): assignment is validated against apmask/aqmask instead of the queue binding, (un)assigning
  an id already (un)assigned is a no-op, and the guest gets the shadow APCB: the matrix filtered by
  the host's AP configuration and by the queues bound to vfio_ap (a whole adapter at a time),
  pushed to a running guest on every change (hot plug and unplug). guest_matrix shows it.
  Under 4.20-5.19 assignment is refused with EBUSY while a guest runs and the guest gets the whole
  matrix at open.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4

  Scenario: Assigning an adapter to a running guest's device plugs it into the guest
    Given guest "g1" is started with mediated device "m1"
    When the administrator assigns adapter 3 to "m1"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and 3 and domains 4
    And guest "g1" sees AP queues 02.0004 and 03.0004

  Scenario: Unassigning a domain unplugs it from the running guest
    Given mediated device "m1" has adapters 3 and domains 5
    And guest "g1" is started with mediated device "m1"
    When the administrator unassigns domain 5 from "m1"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and 3 and domains 4
    And guest "g1" sees AP queues 02.0004 and 03.0004

  Scenario: Assigning an adapter that is already assigned while the guest runs is a no-op
    Given guest "g1" is started with mediated device "m1"
    When the administrator assigns adapter 2 to "m1"
    Then it succeeds

  Scenario: An adapter outside the host configuration is accepted and filtered from the guest
    Given adapters 7 are reserved for pass-through
    When the administrator assigns adapter 7 to "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      02.0004
      07.0004
      """
    And the guest matrix of "m1" reads:
      """
      02.0004
      """

  Scenario: Assignment is still refused for an APQN the host's default drivers own
    When the administrator assigns adapter 1 to "m1"
    Then it fails with EADDRNOTAVAIL

  Scenario: The guest matrix exists before any guest runs
    Then the guest matrix of "m1" reads:
      """
      02.0004
      """
