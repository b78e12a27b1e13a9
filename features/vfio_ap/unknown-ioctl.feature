Feature: Unknown ioctls on the device
  Specifies vfio_ap_mdev_ioctl's default case (drivers/s390/crypto/vfio_ap_ops.c): any command but
  VFIO_DEVICE_GET_INFO and VFIO_DEVICE_RESET (and, newest, the IRQ ioctls) is -EOPNOTSUPP, in
  every release. Without an open fd there is nothing to issue it on (EBADF).

  Background:
    Given an s390 host
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4

  Scenario: An unknown ioctl on an open device fails with EOPNOTSUPP
    Given guest "g1" is started with mediated device "m1"
    When the VMM issues an unknown ioctl on mediated device "m1"
    Then it fails with EOPNOTSUPP

  Scenario: An ioctl needs an open device fd
    When the VMM issues an unknown ioctl on mediated device "m1"
    Then it fails with EBADF
