Feature: What a guest sees of the AP configuration
  Specifies the guest side of AP pass-through (Linux 4.20 KVM with firmware interpretation,
  ECA_APIE set by kvm_s390_vcpu_crypto_setup, 37940fb0b6a2): with ECA.28 on, firmware answers AP instructions against the guest's
  CRYCB: an APQN inside APM x AQM reaches the real queue, one outside gets response code 0x01
  (APQN not available) with condition code 3. A Linux guest's AP bus (ap_scan_bus) uses QCI when it
  has facility 12 and TAPQ on each candidate APQN, so it finds exactly the assigned queues. Control
  domains (ADM) are not usage domains and add no queues.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"

  Scenario: The guest finds exactly the APQNs of its mediated device
    Given mediated device "m1" has adapters 2 and 3 and domains 4 and 5
    When guest "g1" is started with mediated device "m1"
    Then guest "g1" sees AP queues 02.0004, 02.0005, 03.0004 and 03.0005

  Scenario: A guest without a mediated device finds no AP queues
    Given a guest "g1"
    Then guest "g1" sees no AP queues

  Scenario Outline: TAPQ on <apqn>, <where> the masks, completes with response code <rc>
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When guest "g1" executes PQAP(TAPQ) on <apqn>
    Then the instruction completes with response code <rc>

    Examples:
      | apqn    | where                       | rc   |
      | 02.0004 | inside                      | 0x00 |
      | 02.0005 | outside (domain) of         | 0x01 |
      | 03.0004 | outside (adapter) of        | 0x01 |
      | 01.0004 | outside (zcrypt's queue) of | 0x01 |

  Scenario: An APQN outside the masks completes with condition code 3
    Given mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When guest "g1" executes NQAP on 02.0005
    Then the instruction completes with condition code 3
    And the instruction completes with response code 0x01

  Scenario: The guest sees the real queue's status
    Given mediated device "m1" has adapters 2 and domains 4
    And AP queue 02.0004 answers with response code 0x03
    And guest "g1" is started with mediated device "m1"
    When guest "g1" executes PQAP(TAPQ) on 02.0004
    Then the instruction completes with response code 0x03

  Scenario: A guest with APIE off gets an operation exception for every AP instruction
    Given mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" with CPU model "host,ap=off"
    When guest "g1" executes PQAP(QCI) on 00.0000
    Then the guest receives an operation exception
    When guest "g1" executes DQAP on 02.0004
    Then the guest receives an operation exception
  # The guest has no QCI (facility 12) and no APFT (facility 15) without a CPU model, so its
  # Linux AP bus creates no devices, whatever its masks hold (ap_scan_bus; KVM offers 12 and 15
  # only through the CPU model, kvm_s390_set_processor_feat).

  Scenario: A guest without a CPU model finds no AP devices
    Given mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    And the VMM enables APIE for "g1"
    When the VMM opens mediated device "m1" for "g1"
    Then it succeeds
    And guest "g1" lacks facility 12
    And guest "g1" sees no AP queues

  Scenario: After the mdev is closed the queues are no longer available
    Given mediated device "m1" has adapters 2 and domains 4
    And a guest "g1"
    And the VMM opens mediated device "m1" for "g1"
    When the VMM closes mediated device "m1"
    And guest "g1" executes PQAP(TAPQ) on 02.0004
    Then the instruction completes with response code 0x01
    And guest "g1" sees no AP queues
