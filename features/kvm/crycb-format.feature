Feature: The CRYCB format KVM gives a guest
  Specifies kvm_s390_crypto_init and kvm_s390_set_crycb_format (arch/s390/kvm/kvm-s390.c, Linux
  4.20): every VM gets a CRYCB; its format is 0 if the VM lacks facility 76 (MSAX3), 2 if the host
  has AP instructions and QCI reports APXA (kvm_s390_apxa_installed), 1 otherwise. The format is
  fixed at VM creation, from the host's facilities: a CPU model applied later does not change it.

  Scenario: A host with MSAX3 and APXA gives format 2
    Given an s390 host
    And a guest "g1"
    Then the CRYCB of "g1" has format 2

  Scenario: A host without AP extended addressing gives format 1
    Given an s390 host
    And the host has no AP extended addressing
    And a guest "g1"
    Then the CRYCB of "g1" has format 1

  Scenario: A host without QCI gives format 1
    Given an s390 host
    And the host has no QCI facility
    And a guest "g1"
    Then the CRYCB of "g1" has format 1

  Scenario: A host without AP instructions gives format 1
    Given an s390 host without AP instructions
    And a guest "g1"
    Then the CRYCB of "g1" has format 1

  Scenario: A host without MSAX3 gives format 0
    Given an s390 host
    And the host has no MSAX3 facility
    And a guest "g1"
    Then the CRYCB of "g1" has format 0

  Scenario: A minimal VMM's guest gets a CRYCB too
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    Then the CRYCB of "g1" has format 2
    And the CRYCB masks of "g1" are empty
  # kvm_s390_set_processor (Linux 4.20) copies the facility list but does not call
  # kvm_s390_set_crycb_format again, so msa3=off in the CPU model leaves a format-2 CRYCB.

  Scenario: A CPU model without msa3 does not change the format
    Given an s390 host
    And a guest "g1" with CPU model "host,msa3=off"
    Then the CRYCB of "g1" has format 2
    And guest "g1" lacks facility 76

  Scenario: A KVM that allocates a CRYCB only with MSAX3 gives none on a host without MSAX3
    Given an s390 host
    And the host's KVM allocates a CRYCB only for guests with MSAX3
    And the host has no MSAX3 facility
    And a guest "g1"
    Then "g1" has no CRYCB
