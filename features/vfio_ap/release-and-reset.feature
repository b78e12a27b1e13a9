Feature: Releasing and resetting a mediated device
  Specifies vfio_ap_mdev_release, vfio_ap_mdev_reset_queues and vfio_ap_mdev_reset_queue
  (drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20), and VFIO_DEVICE_RESET in vfio_ap_mdev_ioctl:
  every APQN of the mdev's APM x AQM is reset with ZAPQ; on response code 0x02 (reset in progress)
  or 0x05 (busy) the reset waits 20 ms and tries once more, then gives EBUSY; any other non-zero
  response code gives EIO. The reset goes on over all queues and returns the accumulated error.
  Release clears the CRYCB masks (if a KVM is attached), resets the queues, and detaches the KVM;
  its return value is void in 4.20, so closing always succeeds.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4 and 5
    And a guest "g1" started by a minimal VMM
    And the VMM enables APIE for "g1"
    And the VMM opens mediated device "m1" for "g1"

  Scenario: Resetting a device whose queues answer normally succeeds
    When the VMM resets mediated device "m1"
    Then it succeeds

  Scenario Outline: A queue that answers ZAPQ with <rc> makes the reset fail with <errno>
    Given AP queue 02.0005 answers with response code <rc>
    When the VMM resets mediated device "m1"
    Then it fails with <errno>

    Examples:
      | rc   | errno |
      | 0x05 | EBUSY |
      | 0x02 | EBUSY |
      | 0x03 | EIO   |

  Scenario: Closing succeeds even when a queue stays busy
    Given AP queue 02.0004 answers with response code 0x05
    When the VMM closes mediated device "m1"
    Then it succeeds
    And the CRYCB masks of "g1" are empty

  Scenario: After a close the mediated device can be opened again
    Given the VMM closes mediated device "m1"
    When the VMM opens mediated device "m1" for "g1"
    Then it succeeds
