Feature: vfio_ap's PQAP(AQIC) hook
  Specifies vfio_ap's handle_pqap, the function vfio_ap stores in kvm->arch.crypto.pqap_hook from
  5.3 (e5282de93105; decision point vfio_ap.pqap_hook, reference §2.12): an APQN outside the mdev
  (or not bound to vfio_ap) answers RC 0x01 with cc 3; an assigned queue gets the real AQIC result.
  Which mdev's hook is in the slot depends on vfio_ap_mdev_set_kvm (decision point vfio_ap.set_kvm):
  5.19/6.x store the hook before the single-owner check, so a refused second mdev's hook replaces
  the owner's, and that hook has no KVM: every AQIC then answers RC 0x01.
  Linux 4.20 has no hook and no KVM handler: the guest gets an operation exception.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"

  Scenario: AQIC on a queue of the guest's mediated device enables its interruptions
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x00

  Scenario: AQIC on a queue outside the mediated device answers RC 0x01 with condition code 3
    When guest "g1" executes PQAP(AQIC) on 03.0004
    Then the instruction completes with response code 0x01
    And the instruction sets condition code 3

  Scenario: AQIC returns the real queue's status
    Given AP queue 02.0004 answers with response code 0x05
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x05

  Scenario: In 5.19 and 6.x a refused second mediated device takes over the guest's AQIC hook
    Given a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5
    When the VMM opens mediated device "m2" for "g1"
    And guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x01
