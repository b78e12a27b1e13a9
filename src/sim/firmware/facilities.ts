/**
 * STFLE facility bits that matter for AP pass-through (reference §1.1).
 * There is no facility bit for the AP instructions themselves: the host learns whether they exist
 * by executing PQAP(TAPQ) (ap_instructions_available, arch/s390/include/asm/ap.h).
 */
export const FAC_QCI = 12; // AP Query Configuration Information
export const FAC_APFT = 15; // AP Facilities Test (the T bit of TAPQ)
export const FAC_AQIC = 65; // AP queue interruption control
export const FAC_MSAX3 = 76; // Message-security-assist extension 3

/** The facilities an `s390 host` has by default (steps.md). */
export const DEFAULT_HOST_FACILITIES: readonly number[] = [FAC_QCI, FAC_APFT, FAC_AQIC, FAC_MSAX3];

/** Facilities that exist only together with the AP instructions (they are AP functions). */
export const AP_FACILITIES: readonly number[] = [FAC_QCI, FAC_APFT, FAC_AQIC];
