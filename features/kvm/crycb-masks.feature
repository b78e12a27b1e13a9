Feature: The AP masks vfio_ap writes into the CRYCB
  Specifies kvm_arch_crypto_set_masks and kvm_arch_crypto_clear_masks (arch/s390/kvm/kvm-s390.c,
  Linux 4.20), called from vfio_ap_mdev_group_notifier and vfio_ap_mdev_release: format 2 writes
  APCB1, 32 bytes each of APM, AQM and ADM (all 256 ids); formats 0 and 1 write APCB0, 8 bytes of
  APM (APIDs 0-63) and 2 bytes each of AQM and ADM (ids 0-15). The mdev's full matrix is written,
  unfiltered; clearing zeroes both APCBs.

  Scenario: A format-2 CRYCB holds ids above 63 and 15
    Given an s390 host
    And the host's AP configuration has adapters 2 and 0x47 and domains 4 and 0x50
    And the host's control domains are 4 and 0x50
    And adapters 2 and 0x47 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and 0x47 and domains 4 and 0x50
    And mediated device "m1" has control domains 4 and 0x50
    When guest "g1" is started with mediated device "m1"
    Then the CRYCB of "g1" has format 2
    And the CRYCB masks of "g1" have adapters 2 and 0x47 and domains 4 and 0x50
    And the CRYCB masks of "g1" have control domains 4 and 0x50
  # Without MSAX3 the guest's CRYCB is format 0, but the mdev's limits come from QCI (APXA: 255/84),
  # so the mdev can hold ids that APCB0 cannot: only APIDs 0-63 and APQIs 0-15 reach the guest.

  Scenario: A format-0 CRYCB receives only APIDs 0-63 and domain ids 0-15
    Given an s390 host
    And the host has no MSAX3 facility
    And the host's AP configuration has adapters 2 and 0x47 and domains 4 and 0x50
    And the host's control domains are 4 and 0x50
    And adapters 2 and 0x47 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and 0x47 and domains 4 and 0x50
    And mediated device "m1" has control domains 4 and 0x50
    When guest "g1" is started with mediated device "m1"
    Then the CRYCB of "g1" has format 0
    And the CRYCB masks of "g1" have adapters 2 and domains 4
    And the CRYCB masks of "g1" have control domains 4

  Scenario: A format-1 CRYCB holds the whole matrix of a host without APXA
    Given an s390 host
    And the host has no AP extended addressing
    And the host's AP configuration has adapters 2 and 63 and domains 4 and 15
    And adapters 2 and 63 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and 63 and domains 4 and 15
    When guest "g1" is started with mediated device "m1"
    Then the CRYCB of "g1" has format 1
    And the CRYCB masks of "g1" have adapters 2 and 63 and domains 4 and 15

  Scenario: Closing the mdev clears the masks
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And mediated device "m1" has control domains 4
    And guest "g1" is started with mediated device "m1"
    When mediated device "m1" is unplugged from guest "g1"
    Then it succeeds
    And the CRYCB masks of "g1" are empty
