# 83303a4c776c "KVM: s390: fix cc for successful PQAP" (Eric Farman, Dec 2023, Fixes e5282de93105;
# in Linux 6.8): "The various errors that are possible when processing a PQAP instruction (the absence
# of a driver hook, an error FROM that hook), all correctly set the PSW condition code to 3. But if
# that processing works successfully, CC0 needs to be set to convey that everything was fine." Before
# it, handle_pqap left the guest's condition code as the previous instruction had set it.
@history
Feature: A successful AQIC sets condition code 0
  The guest reads the condition code to know whether GR1 holds a status. An AQIC that succeeds
  must say so with cc 0, whatever the guest's previous instruction left in the PSW.

  Scenario: AQIC after an instruction that set cc 3
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    And guest "g1" executes PQAP(TAPQ) on 03.0004
    And the instruction sets condition code 3
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x00
    And the instruction sets condition code 0
