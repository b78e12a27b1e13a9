# vfio_ap_mdev_set_kvm, Linux 5.19 (torvalds/linux 034921cdea1c drivers/s390/crypto/vfio_ap_ops.c): the
# hook is stored first - "down_write(&kvm->arch.crypto.pqap_hook_rwsem); kvm->arch.crypto.pqap_hook =
# &matrix_mdev->pqap_hook; up_write(...)" - and only then "if (m != matrix_mdev && m->kvm == kvm) ...
# return -EPERM", leaving the refused mdev's hook behind [code-read, reference §2.6 E3/E4]. The newest
# shape (gregkh/linux 02e72909453d) refuses when "kvm->arch.crypto.pqap_hook" is already set, before
# anything changes (reference §2.6 E6). 5.3-5.14 checked the owner first (OPS511). 4.20 had no AQIC hook.
@history
Feature: A guest's AQIC reaches its own mediated device after a refused second one
  A second mediated device opened for the same guest is refused; the guest's PQAP(AQIC) must still
  be handled by the device that owns the KVM.

  Scenario: AQIC on the owner's queue succeeds after a second mediated device was refused
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And a mediated device "m2"
    And mediated device "m2" has adapters 3 and domains 5
    And guest "g1" is started with mediated device "m1"
    When the VMM opens mediated device "m2" for "g1"
    And guest "g1" executes PQAP(AQIC) on 02.0004
    Then the instruction completes with response code 0x00
