# arch/s390/tools/gen_facilities.c: the AP interrupt series of Linux 5.3 (e5282de93105 and its series)
# adds facility 65 (AP queue interruption control) to FACILITIES_KVM_CPUMODEL, so a CPU model that asks
# for it (QEMU's apqi, in -cpu host) gets it; Linux 4.20 lists only 12 and 15 of the AP facilities
# there. handle_pqap (arch/s390/kvm/priv.c, same series) answers a guest without facility 65 with a
# specification exception.
@history
Feature: Guests get facility 65
  A guest whose CPU model asks for AP queue interruption control (facility 65) gets it from the
  release that handles AQIC in the kernel.

  Scenario: A -cpu host guest has facility 65 on a host that has it
    Given an s390 host
    And a guest "g1"
    Then guest "g1" has facility 65
