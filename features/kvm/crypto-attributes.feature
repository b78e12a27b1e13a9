Feature: The VM crypto attributes a VMM sets
  Specifies kvm_s390_vm_set_crypto (arch/s390/kvm/kvm-s390.c, Linux 4.20) for the attribute
  group KVM_S390_VM_CRYPTO: ENABLE/DISABLE_APIE need AP instructions on the host (EOPNOTSUPP);
  ENABLE/DISABLE_AES_KW and _DEA_KW need facility 76 in the guest (EINVAL). And the CPU-model
  feature KVM_S390_VM_CPU_FEAT_AP (kvm_s390_set_processor_feat), which only v10's KVM offered.

  Scenario Outline: Without AP instructions on the host, KVM refuses to <switch> APIE
    Given an s390 host without AP instructions
    And a guest "g1" started by a minimal VMM
    When the VMM <switch> APIE for "g1"
    Then it fails with EOPNOTSUPP

    Examples:
      | switch   |
      | enables  |
      | disables |

  Scenario Outline: Protected-key wrapping needs MSAX3: the VMM <switch> <kind> key wrapping
    Given an s390 host
    And the host has no MSAX3 facility
    And a guest "g1" started by a minimal VMM
    When the VMM <switch> <kind> key wrapping for "g1"
    Then it fails with EINVAL

    Examples:
      | switch   | kind |
      | enables  | AES  |
      | disables | DEA  |

  Scenario: With MSAX3 the VMM may turn key wrapping off and on
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM disables AES key wrapping for "g1"
    Then it succeeds
    When the VMM enables AES key wrapping for "g1"
    Then it succeeds
  # @policy-sensitive: the CPU-model feature AP exists only in v10's KVM (decision point
  # kvm.cpu_feat_ap = offered); Linux 4.20 removed it, so the two scenarios pin their policy.

  @policy-sensitive
  Scenario: Linux 4.20's KVM does not offer the CPU-model feature AP
    Given the policy "v11"
    And an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM enables the CPU-model feature AP for "g1"
    Then it fails with EINVAL
  # v10's KVM offers the feature, but like every CPU-model attribute it can only be set before the
  # first vcpu exists (kvm_s390_set_processor_feat checks the feature, then created_vcpus). A
  # minimal VMM has already created its vcpu; QEMU sets the model before creating vcpus.

  @policy-sensitive
  Scenario: v10's KVM offers the CPU-model feature AP, but only before vcpus exist
    Given the policy "v10"
    And an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM enables the CPU-model feature AP for "g1"
    Then it fails with EBUSY
  # Holds under every policy: 4.20's KVM offers no feature AP at all, and v10's offers it only on
  # a host with AP instructions; the feature check comes before the vcpu check either way.

  Scenario: No KVM offers the CPU-model feature AP on a host without AP instructions
    Given an s390 host without AP instructions
    And a guest "g1" started by a minimal VMM
    When the VMM enables the CPU-model feature AP for "g1"
    Then it fails with EINVAL
  # kvm_s390_vm_set_crypto's switch (arch/s390/kvm/kvm-s390.c) has a default case: an attribute it
  # does not define is -ENXIO, and no vcpu set-up is redone.

  Scenario: An attribute no kernel defines fails with ENXIO
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM sets crypto attribute "99" of "g1"
    Then it fails with ENXIO

  Scenario: Attribute 4 is ENABLE_APIE
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM sets crypto attribute "4" of "g1"
    Then it succeeds
    And AP instructions of "g1" are interpreted by firmware
  # kvm_s390_vm_has_attr (KVM_HAS_DEVICE_ATTR): the key-wrapping attributes always exist; the APIE
  # ones only on a host with AP instructions (QEMU offers the CPU feature `ap` from this answer).

  Scenario: KVM reports the APIE attributes on a host with AP instructions
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM checks crypto attribute "ENABLE_APIE" of "g1"
    Then it succeeds

  Scenario: KVM reports no APIE attributes on a host without AP instructions, but the key-wrapping ones
    Given an s390 host without AP instructions
    And a guest "g1" started by a minimal VMM
    When the VMM checks crypto attribute "DISABLE_APIE" of "g1"
    Then it fails with ENXIO
    When the VMM checks crypto attribute "ENABLE_AES_KW" of "g1"
    Then it succeeds

  Scenario: KVM reports no attribute 99
    Given an s390 host
    And a guest "g1" started by a minimal VMM
    When the VMM checks crypto attribute "99" of "g1"
    Then it fails with ENXIO
