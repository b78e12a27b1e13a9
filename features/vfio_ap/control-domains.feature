Feature: Control domains
  Specifies assign_control_domain_store, unassign_control_domain_store and control_domains_show
  (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20): EBUSY while a KVM is attached, kstrtoul
  errors, ENODEV above adm_max (Nd with APXA, else 15), then the ADM bit is set or cleared. There
  is no reservation and no sharing check for control domains: they name domains an administrative
  command may change, not queues the guest uses. control_domains prints one "%04x" line per bit.
  kvm_arch_crypto_set_masks writes ADM exactly as assigned (v9's AQM | ADM was dropped in v10).

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario: control_domains lists each control domain as four hex digits
    Given mediated device "m1" has control domains 4, 0x0f and 0x47
    Then the control domains of "m1" read:
      """
      0004
      000f
      0047
      """

  Scenario: A control domain bound to the default driver can be assigned
    When the administrator assigns control domain 7 to "m1"
    Then it succeeds

  Scenario: Two mdevs may share a control domain
    Given mediated device "m1" has adapters 2 and domains 4
    And mediated device "m1" has control domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 4
    When the administrator assigns control domain 4 to "m2"
    Then it succeeds

  Scenario Outline: assign_control_domain refuses "<text>" with <errno>
    When the administrator writes "<text>" to assign_control_domain of "m1"
    Then it fails with <errno>

    Examples:
      | text                    | errno  |
      |                      85 | ENODEV |
      |                    0xab | ENODEV |
      |                      0x | EINVAL |
      | 99999999999999999999999 | ERANGE |

  Scenario: While a guest uses the mdev, control domains cannot be changed
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator assigns control domain 5 to "m1"
    Then it fails with EBUSY

  Scenario: Unassigning a control domain removes its line
    Given mediated device "m1" has control domains 4 and 5
    When the administrator unassigns control domain 4 from "m1"
    Then it succeeds
    And the control domains of "m1" read:
      """
      0005
      """

  Scenario: Control domains are not usage domains: the CRYCB gets them in ADM only
    Given mediated device "m1" has adapters 2 and domains 4
    And mediated device "m1" has control domains 5
    When guest "g1" is started with mediated device "m1"
    Then the CRYCB masks of "g1" have adapters 2 and domains 4
    And the CRYCB masks of "g1" have control domains 5
    And guest "g1" sees AP queues 02.0004
