Feature: Assigning usage domains to a mediated device
  Specifies assign_domain_store and unassign_domain_store (drivers/s390/crypto/vfio_ap_ops.c,
  Linux 4.20), the same checks as for adapters, in the same order: EBUSY while a KVM is attached
  (before parsing), EINVAL/ERANGE from kstrtoul(buf, 0), ENODEV above aqm_max (Nd with APXA, else
  15), EADDRNOTAVAIL from vfio_ap_mdev_verify_queues_reserved_for_apqi, then the AQM bit is set and
  cleared again on EADDRINUSE from vfio_ap_mdev_verify_no_sharing.
  The default host has Nd = 84, so aqm_max is 84.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario Outline: assign_domain parses "<text>" and refuses it with <errno>
    When the administrator writes "<text>" to assign_domain of "m1"
    Then it fails with <errno>
    And the matrix of "m1" is empty

    Examples:
      | text                    | errno         |
      |                      0x | EINVAL        |
      |                     4 5 | EINVAL        |
      | 99999999999999999999999 | ERANGE        |
      |                      85 | ENODEV        |
      |                    0x55 | ENODEV        |
      |                      84 | EADDRNOTAVAIL |

  Scenario: A domain with a queue bound to vfio_ap is assigned
    When the administrator assigns domain 0x0f to "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      .000f
      """

  Scenario: A domain whose APQNs another mdev holds is refused with EADDRINUSE, and its bit cleared
    Given mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 2 and domains 5
    When the administrator assigns domain 4 to "m2"
    Then it fails with EADDRINUSE
    And the matrix of "m2" reads:
      """
      02.0005
      """

  Scenario: While a guest uses the mdev, domains can be neither assigned nor unassigned
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator assigns domain 5 to "m1"
    Then it fails with EBUSY
    When the administrator unassigns domain 4 from "m1"
    Then it fails with EBUSY

  Scenario: Unassigning a domain removes its APQNs from the matrix
    Given mediated device "m1" has adapters 2 and domains 4 and 5
    When the administrator unassigns domain 4 from "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      02.0005
      """
