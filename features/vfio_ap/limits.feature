Feature: The id limits of a mediated device
  Specifies vfio_ap_matrix_init (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20), run at mdev
  creation from the QCI snapshot vfio_ap_matrix_dev_create took at module init: apm_max is Na and
  aqm_max = adm_max is Nd when QCI reports APXA, otherwise 63 and 15. Without facility 12 (QCI)
  the snapshot is all zero, so the limits are 63 and 15 too. assign_adapter_store,
  assign_domain_store and assign_control_domain_store refuse ids above them with ENODEV.

  Scenario Outline: Without <facility> an mdev accepts adapter 63 but not 64
    Given an s390 host
    And the host has no <facility>
    And the host's AP configuration has adapters 2 and 63 and domains 4 and 15
    And adapters 2 and 63 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the administrator assigns adapter 63 to "m1"
    Then it succeeds
    When the administrator assigns adapter 64 to "m1"
    Then it fails with ENODEV

    Examples:
      | facility               |
      | AP extended addressing |
      | QCI facility           |

  Scenario Outline: Without <facility> an mdev accepts domain 15 but not 16
    Given an s390 host
    And the host has no <facility>
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the administrator assigns domain 15 to "m1"
    Then it succeeds
    When the administrator assigns domain 16 to "m1"
    Then it fails with ENODEV
    When the administrator assigns control domain 15 to "m1"
    Then it succeeds
    When the administrator assigns control domain 16 to "m1"
    Then it fails with ENODEV

    Examples:
      | facility               |
      | AP extended addressing |
      | QCI facility           |

  Scenario: With APXA the limits are the host's Na and Nd
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the administrator assigns control domain 84 to "m1"
    Then it succeeds
    When the administrator assigns control domain 85 to "m1"
    Then it fails with ENODEV
