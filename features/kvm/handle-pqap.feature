Feature: KVM's handling of an intercepted PQAP(AQIC)
  Specifies handle_pqap (arch/s390/kvm/priv.c, from e5282de93105 in Linux 5.3; decision point
  kvm.handle_pqap), in the kernel's order: without ECA_APIE (APIE off) or for another function code
  it returns -EOPNOTSUPP and the intercept exits to the VMM, which injects an operation exception;
  a guest in problem state gets a privileged-operation exception; a guest without facility 65 a
  specification exception; with no pqap_hook registered the answer is RC 0x01 with cc 3. Linux 4.20
  has no handler at all: every AQIC ends as an operation exception from QEMU, so the scenarios that
  expect KVM's answers fail there.

  Scenario: AQIC from a guest program in problem state is a privileged operation
    Given an s390 host
    And a guest "g1"
    When guest "g1" executes PQAP(AQIC) on 02.0004 in problem state
    Then the guest receives a privileged-operation exception

  Scenario: AQIC of a guest whose CPU model lacks facility 65 is a specification exception
    Given an s390 host
    And a guest "g1" with CPU model "host,apqi=off"
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the guest receives a specification exception

  Scenario: AQIC with no mediated device on the KVM answers RC 0x01 with condition code 3
    Given an s390 host
    And a guest "g1"
    When guest "g1" executes PQAP(AQIC) on 05.0004
    Then the instruction completes with response code 0x01
    And the instruction sets condition code 3
  # Holds in every release: with ECA_APIE clear there is nothing for KVM to handle (4.20: no handler;
  # 5.3+: handle_pqap's second check), and QEMU has no PQAP case.

  Scenario: Without APIE every AQIC reaches QEMU, which injects an operation exception
    Given an s390 host
    And a guest "g1" with CPU model "host,ap=off"
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the guest receives an operation exception

  Scenario: A guest started by a minimal VMM has no APIE: its AQIC is an operation exception
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the guest receives an operation exception
  # vfio_ap's handle_pqap (drivers/s390/crypto/vfio_ap_ops.c, 5.3+) first checks the vcpu's ECA_AIV,
  # which kvm_arch_vcpu_setup sets only for a VM with a GISA: without it the hook returns -EOPNOTSUPP,
  # KVM exits to userspace and QEMU injects an operation exception.

  Scenario: Without adapter-interruption virtualization AQIC on the guest's own queue ends in QEMU
    Given an s390 host
    And the host has no adapter-interruption virtualization
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When guest "g1" executes PQAP(AQIC) on 02.0004
    Then the guest receives an operation exception
