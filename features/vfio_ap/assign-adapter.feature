Feature: Assigning adapters to a mediated device
  Specifies assign_adapter_store and unassign_adapter_store (drivers/s390/crypto/vfio_ap_ops.c,
  Linux 4.20), whose checks run in this order, each with its errno:
    1. EBUSY while a KVM is attached (matrix_mdev->kvm), checked before the input is parsed;
    2. EINVAL or ERANGE from kstrtoul(buf, 0): decimal, 0x hex, and 0 octal are accepted;
    3. ENODEV for an APID above apm_max (Na with APXA, else 63);
    4. EADDRNOTAVAIL from vfio_ap_mdev_verify_queues_reserved_for_apid: with no domains assigned, at
       least one queue of the adapter must be bound to vfio_ap; otherwise every APQN of the adapter
       and each assigned domain must be;
    5. the APM bit is set, then vfio_ap_mdev_verify_no_sharing: EADDRINUSE if another mdev's APM
       and AQM both intersect this one's, and the bit is cleared again.
  The default host has adapters 0-3 and domains 0-15 with APXA (Na 255, Nd 84).

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario Outline: kstrtoul accepts decimal, hex and octal: "<text>"
    When the administrator writes "<text>" to assign_adapter of "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      <line>
      """

    Examples:
      | text | line |
      |    2 |  02. |
      | 0x03 |  03. |
      |   02 |  02. |

  Scenario Outline: kstrtoul rejects "<text>" with <errno>
    When the administrator writes "<text>" to assign_adapter of "m1"
    Then it fails with <errno>
    And the matrix of "m1" is empty

    Examples:
      | text                    | errno  |
      |                      0x | EINVAL |
      |                      08 | EINVAL |
      |                      -1 | EINVAL |
      | two                     | EINVAL |
      |                         | EINVAL |
      | 99999999999999999999999 | ERANGE |

  Scenario Outline: An APID above apm_max is refused with ENODEV: "<text>"
    When the administrator writes "<text>" to assign_adapter of "m1"
    Then it fails with ENODEV

    Examples:
      | text  |
      |   256 |
      | 0x100 |

  Scenario: An adapter whose queues are bound to the default driver is refused with EADDRNOTAVAIL
    When the administrator assigns adapter 1 to "m1"
    Then it fails with EADDRNOTAVAIL
    And the matrix of "m1" is empty
  # 010 is octal for 8: in range, but the host has no adapter 8, so no queue is bound to vfio_ap.

  Scenario: An adapter the host does not have is refused with EADDRNOTAVAIL
    When the administrator writes "010" to assign_adapter of "m1"
    Then it fails with EADDRNOTAVAIL

  Scenario: The range check comes before the reservation check
    When the administrator assigns adapter 255 to "m1"
    Then it fails with EADDRNOTAVAIL
    When the administrator writes "256" to assign_adapter of "m1"
    Then it fails with ENODEV

  Scenario: While a guest uses the mdev, EBUSY comes before the input is parsed
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator writes "0x" to assign_adapter of "m1"
    Then it fails with EBUSY

  Scenario: While a guest uses the mdev, adapters can be neither assigned nor unassigned
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator assigns adapter 3 to "m1"
    Then it fails with EBUSY
    When the administrator unassigns adapter 2 from "m1"
    Then it fails with EBUSY
    And the matrix of "m1" reads:
      """
      02.0004
      """

  Scenario: An adapter whose APQNs another mdev holds is refused with EADDRINUSE, and its bit cleared
    Given mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 4
    When the administrator assigns adapter 2 to "m2"
    Then it fails with EADDRINUSE
    And the matrix of "m2" reads:
      """
      03.0004
      """

  Scenario: Two mdevs may share an adapter when their domains differ
    Given mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5
    When the administrator assigns adapter 2 to "m2"
    Then it succeeds
    And the matrix of "m2" reads:
      """
      02.0005
      03.0005
      """

  Scenario: Unassigning an adapter clears its bit, even one that was never set
    Given mediated device "m1" has adapters 2 and 3 and domains 4
    When the administrator unassigns adapter 3 from "m1"
    Then it succeeds
    When the administrator unassigns adapter 3 from "m1"
    Then it succeeds
    And the matrix of "m1" reads:
      """
      02.0004
      """

  Scenario: Unassigning an adapter above apm_max is refused with ENODEV
    When the administrator writes "256" to unassign_adapter of "m1"
    Then it fails with ENODEV
  # assign_adapter_store has no early exit for a bit that is already set: the reservation check
  # runs again, and fails before the (already set) bit would be touched.

  Scenario: Re-assigning an adapter runs the checks again
    Given mediated device "m1" has adapters 2 and domains 4
    And the administrator writes "+2" to the AP bus apmask
    When the administrator assigns adapter 2 to "m1"
    Then it fails with EADDRNOTAVAIL
    And the matrix of "m1" reads:
      """
      02.0004
      """
