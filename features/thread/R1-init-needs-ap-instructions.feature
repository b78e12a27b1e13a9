@thread @R1
Feature: R1 vfio_ap exists to pass AP instructions through
  Specifies vfio_ap_init (drivers/s390/crypto/vfio_ap_drv.c): the module init function checks
  ap_instructions_available() before it creates the matrix device, and fails with ENODEV on a host
  without AP instructions. In v10 the check was absent; v11 added it after the 2018-09-25 thread.
  Without AP instructions the AP bus itself fails to initialise, so a vfio_ap_init without the check
  fails later, in ap_driver_register, with another errno.
  # Tony Krowiak, 2018-09-25:
  # "A check for ap_instructions_available() will not be executed here, but inserted into the
  #  vfio_ap module init function. The module init function will fail (ENODEV) if the AP
  #  instructions are not installed. In my (our) opinion that makes more sense given the purpose of
  #  the vfio_ap driver is to pass through the AP instructions to the guest."

  Scenario: Loading vfio_ap on a host without AP instructions fails with ENODEV
    Given an s390 host without AP instructions
    When the vfio_ap module is loaded
    Then it fails with ENODEV
