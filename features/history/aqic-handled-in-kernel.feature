# e5282de93105 "s390: ap: kvm: add PQAP interception for AQIC" (Linux 5.3): arch/s390/kvm/priv.c gains
# handle_pqap, called from handle_b2 for an intercepted PQAP; with the guest's facility 65 and a
# pqap_hook it asks vfio_ap, and "if the hook is not registered ... the status RC 0x01 (APQN not
# available) is returned with cc 3" - handled in the kernel. Linux 4.20 has no handler for B2AF: the
# intercept exits to userspace, whose handle_b2 has no PQAP case either, so QEMU injects an operation
# exception (QEMU target/s390x/kvm.c handle_instruction: an unhandled intercept gets PGM_OPERATION).
@history
Feature: AP interruption controls are handled in the kernel
  A guest's PQAP(AQIC), the AP queue interruption control, is intercepted even where firmware
  interprets the other AP instructions. From 5.3 KVM handles it (through vfio_ap's hook); before,
  it reached QEMU, which answered with an operation exception.

  Scenario: AQIC on a queue of the guest's mediated device completes in the kernel
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x00

  Scenario: AQIC of a guest without a mediated device answers RC 0x01 with condition code 3
    Given an s390 host
    And a guest "g1"
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x01
    And the instruction sets condition code 3
