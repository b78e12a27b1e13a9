Feature: Loading and unloading the vfio_ap module
  Specifies vfio_ap_init and vfio_ap_exit (drivers/s390/crypto/vfio_ap_drv.c, Linux 4.20): init
  checks ap_instructions_available() (policy point vfio_ap.init), creates the matrix device,
  registers the AP queue driver and the mdev parent, and unwinds in reverse on failure. Each open
  mediated device holds a module reference (try_module_get in vfio_ap_mdev_open), so rmmod is
  refused while one is open. (The kernel's delete_module returns EWOULDBLOCK for a module in use;
  the simulator models the refusal, not that errno, so the scenario only requires a refusal.)

  Scenario: vfio_ap loads on a host with AP instructions
    Given an s390 host
    When the vfio_ap module is loaded
    Then it succeeds
    And the vfio_ap module is loaded
  # Whatever the policy checks in vfio_ap_init, the module never loads without AP instructions:
  # v11 refuses with ENODEV, the others fail later because the AP bus itself could not initialise.
  # (features/thread/R1 pins the errno.)

  Scenario: vfio_ap does not load on a host without AP instructions
    Given an s390 host without AP instructions
    When the vfio_ap module is loaded
    Then it fails
    And the vfio_ap module is not loaded

  Scenario: vfio_ap unloads when no mediated device is open
    Given an s390 host
    And the vfio_ap module is loaded
    And a mediated device "m1"
    When the administrator unloads the vfio_ap module
    Then it succeeds
    And the vfio_ap module is not loaded

  Scenario: vfio_ap cannot be unloaded while a guest has a mediated device open
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    When the administrator unloads the vfio_ap module
    Then it fails
    And the vfio_ap module is loaded

  Scenario: vfio_ap unloads once the guest has closed its mediated device
    Given an s390 host
    And adapters 2 and 3 are reserved for pass-through
    And the vfio_ap module is loaded
    And a mediated device "m1"
    And mediated device "m1" has adapters 2 and domains 4
    And guest "g1" is started with mediated device "m1"
    And guest "g1" shuts down
    When the administrator unloads the vfio_ap module
    Then it succeeds
