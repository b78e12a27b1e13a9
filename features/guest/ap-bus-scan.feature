Feature: How a Linux guest's AP bus scans
  Specifies what the guest's own ap_scan_bus finds (drivers/s390/crypto/ap_bus.c, ap_query_configuration): with facility
  12 (QCI) it takes its configuration from QCI, which under APIE reflects the CRYCB masks; without
  QCI it probes with TAPQ and only uses domain ids below 16; without facility 15 (APFT) it creates
  no devices at all. QEMU's -cpu host turns on apqci and apft; apqci=off and apft=off turn them off.

  Background:
    Given an s390 host
    And the host's AP configuration has adapters 2 and 3 and domains 4 and 0x20
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4 and 0x20

  Scenario: With QCI the guest finds domains above 15 too
    When guest "g1" is started with mediated device "m1"
    Then guest "g1" sees AP queues 02.0004 and 02.0020

  Scenario: Without QCI the guest uses only domain ids below 16
    Given a guest "g1" with CPU model "host,apqci=off"
    When mediated device "m1" is hot-plugged into guest "g1"
    Then it succeeds
    And guest "g1" lacks facility 12
    And guest "g1" sees AP queues 02.0004

  Scenario: Without APFT the guest creates no AP devices, though its queues answer
    Given a guest "g1" with CPU model "host,apft=off"
    When mediated device "m1" is hot-plugged into guest "g1"
    Then it succeeds
    And guest "g1" sees no AP queues
    When guest "g1" executes PQAP(TAPQ) on 02.0020
    Then the instruction completes with response code 0x00
