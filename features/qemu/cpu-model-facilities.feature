Feature: The AP facilities a QEMU CPU model gives a guest
  Specifies how KVM's FACILITIES_KVM_CPUMODEL (arch/s390/tools/gen_facilities.c) and QEMU's CPU
  model combine: a guest gets 12 (QCI), 15 (APFT) and, from Linux 5.3 (decision point
  kvm.facility_65), 65 (AQIC) only when its CPU model asks for them; -cpu host asks for every one
  KVM offers. A feature switched off is left out.

  Scenario: -cpu host gives facilities 12 and 15
    Given an s390 host
    And a guest "g1"
    Then guest "g1" has facility 12
    And guest "g1" has facility 15

  Scenario: apqi=off leaves facility 65 out
    Given an s390 host
    And a guest "g1" with CPU model "host,apqi=off"
    Then guest "g1" lacks facility 65

  Scenario: A minimal VMM sets no CPU model: no facility 65
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    Then guest "g1" lacks facility 65
