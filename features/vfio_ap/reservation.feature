Feature: Only queues reserved for pass-through can be assigned
  Specifies vfio_ap_mdev_verify_queues_reserved_for_apid and
  vfio_ap_mdev_verify_queues_reserved_for_apqi (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20),
  called by assign_adapter_store and assign_domain_store: when the mdev has nothing of the other
  kind assigned yet, at least one queue with the new id must be bound to vfio_ap; otherwise every
  APQN the new id adds must be. A failure is EADDRNOTAVAIL and leaves the matrix unchanged. Control
  domains are exempt (assign_control_domain_store checks only the range).
  A queue leaves the default driver's pool when its adapter is not in /sys/bus/ap/apmask or its
  domain is not in /sys/bus/ap/aqmask; here domains 4 and 5 are reserved, so x.0004 and x.0005 of
  every adapter are bound to vfio_ap and nothing else is.

  Background:
    Given an s390 host
    And domains 4 and 5 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario: Without domains assigned, one vfio_ap queue of the adapter is enough
    When the administrator assigns adapter 1 to "m1"
    Then it succeeds

  Scenario: Without adapters assigned, a domain with no vfio_ap queue is refused
    When the administrator assigns domain 6 to "m1"
    Then it fails with EADDRNOTAVAIL
    And the matrix of "m1" is empty

  Scenario: With an adapter assigned, every APQN of a new domain must be bound to vfio_ap
    Given mediated device "m1" has adapters 1 and domains 4
    When the administrator assigns domain 6 to "m1"
    Then it fails with EADDRNOTAVAIL
    And the matrix of "m1" reads:
      """
      01.0004
      """

  Scenario: With domains assigned, every APQN of a new adapter must be bound to vfio_ap
    Given mediated device "m1" has adapters 1 and domains 4 and 5
    When the administrator assigns adapter 2 to "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      01.0004
      01.0005
      02.0004
      02.0005
      """

  Scenario: With domains assigned, one vfio_ap queue of a new adapter is not enough
    Given adapters 2 and 3 are reserved for pass-through
    And mediated device "m1" has adapters 2 and domains 4 and 6
    When the administrator assigns adapter 1 to "m1"
    Then it fails with EADDRNOTAVAIL
    And queue 01.0004 is bound to vfio_ap
    And queue 01.0006 is bound to the default driver

  Scenario: Control domains need no reservation
    When the administrator assigns control domain 6 to "m1"
    Then it succeeds
    And the control domains of "m1" read:
      """
      0006
      """

  Scenario: A queue the administrator returns to the default driver can no longer be assigned
    Given the administrator writes "+4" to the AP bus aqmask
    When the administrator assigns domain 4 to "m1"
    Then it fails with EADDRNOTAVAIL
    And queue 01.0004 is bound to the default driver
