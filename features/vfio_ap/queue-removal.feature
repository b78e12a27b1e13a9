Feature: A queue leaves vfio_ap while a guest uses it
  Specifies vfio_ap's queue remove callback by release (decision point vfio_ap.queue_remove,
  vfio_ap_queue_dev_remove; the reset came with e5282de93105, 5.3): 4.20 does nothing, 5.3-5.19 reset the queue (ZAPQ) but the guest's CRYCB
  keeps the APQN, and from 6.0 vfio_ap_mdev_remove_queue first unplugs the queue's whole adapter
  from the guest's shadow APCB.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and 3 and domains 4
    And guest "g1" is started with mediated device "m1"

  Scenario: From 6.0, an adapter that leaves the host configuration leaves the guest
    Given the host's AP configuration has adapters 0, 1 and 3 and domains 0-15
    Then the CRYCB masks of "g1" have adapters 3 and domains 4
    And the guest matrix of "m1" reads:
      """
      03.0004
      """

  Scenario: Up to 5.19, the guest's CRYCB keeps an adapter that left the host configuration
    Given the host's AP configuration has adapters 0, 1 and 3 and domains 0-15
    Then the CRYCB masks of "g1" have adapters 2 and 3 and domains 4
