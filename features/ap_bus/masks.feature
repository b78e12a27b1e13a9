Feature: Reserving AP queues for pass-through with apmask and aqmask
  Specifies the AP bus attributes /sys/bus/ap/apmask and /sys/bus/ap/aqmask (apmask_store,
  aqmask_store, ap_parse_mask_str, ap_bus_revise_bindings and ap_device_probe in
  drivers/s390/crypto/ap_bus.c, Linux 4.20 semantics): both masks start all ones, so every queue
  belongs to the default zcrypt driver (cex4queue). A queue whose adapter is not in apmask or whose
  domain is not in aqmask is probed only by non-default drivers, i.e. vfio_ap. A write is an
  absolute hex mask (0x optional, padded with zeros on the right) or a comma list of +n, -n and
  +a-b / -a-b edits; a malformed write is EINVAL. Until 6.0 no driver can veto a write: a queue goes
  back to zcrypt even if an mdev in use has it.

  Background:
    Given an s390 host

  Scenario: Both masks start all ones
    Then the AP bus apmask reads "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    And the AP bus aqmask reads "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    And queue 02.0004 is bound to the default driver

  Scenario Outline: apmask accepts "<text>"
    When the administrator writes "<text>" to the AP bus apmask
    Then it succeeds
    And the AP bus apmask reads "<mask>"

    Examples:
      | text  | mask                                                               |
      | -2,-3 | 0xcfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff |
      |  -0-3 | 0x0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff |
      |  0x0f | 0x0f00000000000000000000000000000000000000000000000000000000000000 |
      |    0f | 0x0f00000000000000000000000000000000000000000000000000000000000000 |
      | -8,+8 | 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff |

  Scenario Outline: apmask refuses the malformed "<text>" with EINVAL and stays unchanged
    When the administrator writes "<text>" to the AP bus apmask
    Then it fails with EINVAL
    And the AP bus apmask reads "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

    Examples:
      | text                                                                 |
      |                                                                 0xzz |
      | 0x0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0 |

  Scenario: Reserved queues are bound to no driver until vfio_ap is loaded
    Given adapters 2 and 3 are reserved for pass-through
    Then queue 02.0004 is bound to no driver
    And queue 01.0004 is bound to the default driver

  Scenario: Loading vfio_ap binds the reserved queues
    Given adapters 2 and 3 are reserved for pass-through
    When the vfio_ap module is loaded
    Then queue 02.0004 is bound to vfio_ap
    And queue 03.000f is bound to vfio_ap
    And queue 01.0004 is bound to the default driver

  Scenario: A queue leaves the default pool if its domain alone is reserved
    Given the vfio_ap module is loaded
    When the administrator writes "-4" to the AP bus aqmask
    Then it succeeds
    And queue 00.0004 is bound to vfio_ap
    And queue 00.0005 is bound to the default driver

  Scenario: Un-reserving an adapter returns its queues to the default driver
    Given adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    When the administrator writes "+2" to the AP bus apmask
    Then it succeeds
    And queue 02.0004 is bound to the default driver
    And queue 03.0004 is bound to vfio_ap
  # The limitation documented in Documentation/s390/vfio-ap.txt (4.20): nothing stops the
  # administrator from taking a queue back while a guest uses it; the guest's CRYCB keeps the APQN.

  Scenario: In 4.20 a queue can be taken back from an mdev a guest is using
    Given adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator writes "+2" to the AP bus apmask
    Then it succeeds
    And queue 02.0004 is bound to the default driver
    And the CRYCB masks of "g1" have adapters 2 and domains 4
