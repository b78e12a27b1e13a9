Feature: The VFIO group leaves the KVM while the device is open
  Specifies KVM_DEV_VFIO_GROUP_DEL on an open mdev (decision points vfio_ap.null_kvm and
  vfio_ap.open_device; vfio_ap_mdev_group_notifier, 258287c994de). Up to 5.18 the vfio core notifies vfio_ap with SET_KVM
  NULL: 4.20 only forgets matrix_mdev->kvm and the CRYCB keeps the masks; from ~5.11
  ("s390/vfio-ap: clean up vfio_ap resources when KVM pointer invalidated", Fixes 258287c994de)
  vfio_ap_mdev_unset_kvm clears them. From 5.19 there is no notifier: the open device keeps the KVM
  it took at open until it is closed.

  Background:
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1" started by a minimal VMM
    And the VMM opens mediated device "m1" for "g1"

  Scenario: Removing the VFIO group from the KVM clears the guest's masks (~5.11 to 5.18)
    When the VMM removes the VFIO group of "m1" from the KVM of "g1"
    Then it succeeds
    And the CRYCB masks of "g1" are empty

  Scenario: In 4.20 the guest keeps its masks after its VFIO group left the KVM
    When the VMM removes the VFIO group of "m1" from the KVM of "g1"
    Then it succeeds
    And the CRYCB masks of "g1" have adapters 2 and domains 4

  Scenario: Up to 5.18 the mdev is free again once its group left the KVM
    When the VMM removes the VFIO group of "m1" from the KVM of "g1"
    And the administrator assigns domain 5 to "m1"
    Then it succeeds

  Scenario: A VFIO group never added to the KVM cannot be removed from it
    Given a mediated device "m2"
    When the VMM removes the VFIO group of "m2" from the KVM of "g1"
    Then it fails with ENOENT
