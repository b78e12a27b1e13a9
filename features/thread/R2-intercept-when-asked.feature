@thread @R2
Feature: R2 If QEMU asks for an intercept, it shall get an intercept
  Specifies the open-time validation in vfio_ap_mdev_group_notifier (vfio_ap_ops.c; in v10
  kvm_ap_validate_crypto_setup) and its interplay with kvm_s390_vm_set_crypto (DISABLE_APIE)
  and kvm_arch_crypto_set_masks: a VMM that turned AP interpretation off gets every AP instruction
  intercepted, and that choice must not stop vfio_ap from associating the mediated device and
  writing its masks into the CRYCB.
  # David Hildenbrand, 2018-09-24:
  # "Yes, that was exactly what I had in mind - we just have to make sure that the ap control block
  #  exists, so we can set the right mask bits. If QEMU asks for an intercept, it shall get an
  #  intercept."

  Scenario: With APIE off the guest's AP instructions are intercepted, yet its masks are in the CRYCB
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a guest "g1"
    When the VMM disables APIE for "g1"
    And the VMM opens mediated device "m1" for "g1"
    Then AP instructions of "g1" are intercepted
    And the CRYCB masks of "g1" have adapters 2 and domains 4
