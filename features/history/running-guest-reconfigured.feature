# Documentation/arch/s390/vfio-ap.rst (torvalds/linux 123760841a2e, the 6.x document, "Hot plug/unplug
# support"): "An adapter, domain or control domain may be hot plugged into a running KVM guest by
# assigning it to the vfio_ap mediated device being used by the guest". DOC18 (4.20) instead: assignment
# "will fail if the mediated device is in use" (assign_adapter_store returns -EBUSY while matrix_mdev->kvm
# is set) from 4.20 (258287c994de) to 5.19; 6.0's dynamic configuration (vfio_ap_mdev_update_guest_apcb) hot plugs instead.
@history
Feature: A running guest's mediated device can be reconfigured
  From 6.0 an adapter assigned to a running guest's mediated device is plugged into the guest at
  once; before, the assignment failed with EBUSY until the guest shut down.

  Scenario: Assigning an adapter to a running guest's device plugs it into the guest
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator assigns adapter 3 to "m1"
    Then it succeeds
    And guest "g1" sees AP queues 02.0004 and 03.0004
