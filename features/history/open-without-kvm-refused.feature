# vfio_ap_mdev_open_device, Linux 5.19 (torvalds/linux 034921cdea1c): "if (!vdev->kvm) return -EINVAL;"
# after "vfio: remove VFIO_GROUP_NOTIFY_SET_KVM" (5.19). In 4.20 (258287c994de) open only registered
# the SET_KVM notifier (vfio_register_notifier) and returned 0; vfio_ap_mdev_open_device reads vdev->kvm from 5.19.
@history
Feature: Opening a mediated device without a KVM is refused
  A VMM that opens the device before adding its VFIO group to the guest's KVM-VFIO device gets
  EINVAL since 5.19; before, the open succeeded and the device had no KVM.

  Scenario: Opening a device whose VFIO group was never added to a KVM fails with EINVAL
    Given an s390 host
    And adapters 2 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    When the VMM opens mediated device "m1" without a KVM
    Then it fails with EINVAL
