# vfio_ap_mdev_open_device, Linux 5.19 (torvalds/linux 034921cdea1c drivers/s390/crypto/vfio_ap_ops.c):
# "vfio_ap_mdev_set_kvm ... list_for_each_entry(m, &matrix_dev->mdev_list, node) { if (m != matrix_mdev
# && m->kvm == kvm) ... return -EPERM; }" and open_device returns that error. Up to 5.18 the same -EPERM
# came from the VFIO_GROUP_NOTIFY_SET_KVM notifier (vfio_ap_mdev_group_notifier, 258287c994de), whose result the vfio core ignores.
@history
Feature: A second mediated device on one KVM is refused at open
  One guest, one mediated device: since 5.19 the VMM learns it when it opens the second device.
  Before, the open succeeded and the second device silently stayed without a KVM.

  Scenario: Opening a second mediated device for the same guest fails with EPERM
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5
    And a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" for "g1"
    When the VMM opens mediated device "m2" for "g1"
    Then it fails with EPERM
