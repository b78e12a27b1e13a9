Feature: QEMU's vfio-ap device
  Specifies QEMU's side (hw/vfio/ap.c, hw/s390x/ap-bridge.c, QEMU 3.1) and the vfio_ap callbacks it
  drives (vfio_ap_mdev_open, vfio_ap_mdev_release, vfio_ap_mdev_ioctl in
  drivers/s390/crypto/vfio_ap_ops.c, Linux 4.20): QEMU creates an ap-bridge and an ap-bus only
  when the CPU model has ap, and the bus takes at most one vfio-ap device, so device_add is refused
  with ap=off or when the guest already has one. device_del and quit close the device: release
  clears the masks and resets (ZAPQ) every queue of the matrix. system_reset issues
  VFIO_DEVICE_RESET. VFIO_DEVICE_GET_INFO reports flags AP and RESET, no regions and no irqs.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5

  Scenario: Hot-plugging a mediated device gives the guest its queues
    Given a guest "g1"
    When mediated device "m1" is hot-plugged into guest "g1"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and domains 4
    And guest "g1" sees AP queues 02.0004

  Scenario: QEMU refuses a vfio-ap device for a CPU model with ap=off
    Given a guest "g1" with CPU model "host,ap=off"
    When mediated device "m1" is hot-plugged into guest "g1"
    Then it fails
    And the CRYCB masks of "g1" are empty

  Scenario: QEMU refuses a second vfio-ap device
    Given guest "g1" is started with mediated device "m1"
    When mediated device "m2" is hot-plugged into guest "g1"
    Then it fails
    And the CRYCB masks of "g1" have adapters 2 and domains 4

  Scenario: Unplugging the device takes the queues away and frees the mdev
    Given guest "g1" is started with mediated device "m1"
    When mediated device "m1" is unplugged from guest "g1"
    Then it succeeds
    And the CRYCB masks of "g1" are empty
    And guest "g1" sees no AP queues
    When the administrator removes mediated device "m1"
    Then it succeeds

  Scenario: After an unplug the guest can take another mediated device
    Given guest "g1" is started with mediated device "m1"
    And mediated device "m1" is unplugged from guest "g1"
    When mediated device "m2" is hot-plugged into guest "g1"
    Then it succeeds
    And guest "g1" sees AP queues 03.0005

  Scenario: Two guests use two mediated devices side by side
    Given guest "g1" is started with mediated device "m1"
    When guest "g2" is started with mediated device "m2"
    Then it succeeds
    And guest "g1" sees AP queues 02.0004
    And guest "g2" sees AP queues 03.0005

  Scenario: A system reset resets the device's queues and keeps the masks
    Given guest "g1" is started with mediated device "m1"
    When guest "g1" is reset
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and domains 4

  Scenario: The device reports AP and RESET, no regions and no irqs
    Given a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" for "g1"
    When the VMM asks for the device info of mediated device "m1"
    Then it succeeds
    And the device info reads "flags AP|RESET, 0 regions, 0 irqs"
