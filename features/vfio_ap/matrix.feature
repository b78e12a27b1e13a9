Feature: The matrix attribute
  Specifies matrix_show (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20): with adapters and domains,
  one line per APQN in APID-major order, two hex digits, a dot, four hex digits; with adapters only,
  "05." lines; with domains only, ".0004" lines; with nothing assigned, nothing.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario: Adapters and domains give one APQN a line, adapter-major
    Given mediated device "m1" has adapters 3 and 2 and domains 5 and 4
    Then the matrix of "m1" reads:
      """
      02.0004
      02.0005
      03.0004
      03.0005
      """

  Scenario: Adapters only give "05." lines
    When the administrator assigns adapter 2 to "m1"
    And the administrator assigns adapter 3 to "m1"
    Then the matrix of "m1" reads:
      """
      02.
      03.
      """

  Scenario: Domains only give ".0004" lines
    When the administrator assigns domain 4 to "m1"
    And the administrator assigns domain 0x0a to "m1"
    Then the matrix of "m1" reads:
      """
      .0004
      .000a
      """

  Scenario: Control domains do not appear in the matrix
    Given mediated device "m1" has control domains 4
    Then the matrix of "m1" is empty
