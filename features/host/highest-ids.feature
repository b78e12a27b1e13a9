Feature: The highest adapter and domain ids of the host
  QCI reports Na and Nd, the highest APID and APQI the host addresses (with APXA; 63 and 15
  without). vfio_ap_matrix_init takes them as an mdev's apm_max and aqm_max/adm_max, and the
  assign attributes refuse ids above them with ENODEV (assign_adapter_store ...).

  Scenario: An mdev on a host with Na 15 and Nd 7 accepts adapter 15 and domain 7, not 16 and 8
    Given an s390 host
    And the host's highest adapter id is 15 and highest domain id is 7
    And the host's AP configuration has adapters 2 and 15 and domains 4 and 7
    And adapters 2 and 15 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the administrator assigns adapter 16 to "m1"
    Then it fails with ENODEV
    When the administrator assigns domain 8 to "m1"
    Then it fails with ENODEV
    When the administrator assigns control domain 7 to "m1"
    Then it succeeds
