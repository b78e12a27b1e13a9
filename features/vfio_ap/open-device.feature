Feature: Where open gets its KVM
  Specifies how vfio_ap learns the guest's KVM when the VMM opens the device (decision point
  vfio_ap.open_device; 258287c994de, then "vfio: remove VFIO_GROUP_NOTIFY_SET_KVM" in 5.19). Up to 5.18 open registers a VFIO_GROUP_NOTIFY_SET_KVM
  notifier and returns 0 whatever it did: a device opened while its VFIO group has no KVM simply has
  no KVM. From 5.19 vfio_ap_mdev_open_device reads vdev->kvm (torvalds/linux 034921cdea1c): NULL
  is -EINVAL, and the single-owner check's -EPERM is returned by open.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM

  Scenario: From 5.19, opening a device whose VFIO group has no KVM fails with EINVAL
    When the VMM opens mediated device "m1" without a KVM
    Then it fails with EINVAL

  Scenario: Up to 5.18, a device opened without a KVM opens and stays unbound, so its matrix can change
    When the VMM opens mediated device "m1" without a KVM
    Then it succeeds
    When the administrator assigns domain 5 to "m1"
    Then it succeeds
    And the CRYCB masks of "g1" are empty

  Scenario: From 5.19, a second mediated device on one KVM is refused by open with EPERM
    Given a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5
    And the VMM opens mediated device "m1" for "g1"
    When the VMM opens mediated device "m2" for "g1"
    Then it fails with EPERM
    And the CRYCB masks of "g1" have adapters 2 and domains 4
