/**
 * The s390 machine as the host kernel sees it: STFLE facilities, whether the AP instructions are
 * installed, the AP configuration (QCI), the crypto adapters and their queues, and the
 * host-executed AP instructions (PQAP TAPQ/ZAPQ/QCI).
 */
import { Bitmap256 } from '../bitmap';
import { Apqn, apidOf, apqiOf } from '../apqn';
import { AP_FACILITIES, DEFAULT_HOST_FACILITIES, FAC_QCI } from './facilities';
import {
  AP_DEVICE_TYPE_CEX6,
  ApConfigInfo,
  NO_APXA_MAX_APID,
  NO_APXA_MAX_APQI,
} from './ap-config';
import {
  AP_RESPONSE_BUSY,
  AP_RESPONSE_NORMAL,
  AP_RESPONSE_Q_NOT_AVAIL,
  AP_RESPONSE_RESET_IN_PROGRESS,
} from './response-codes';

/** The AP queue status word a PQAP returns (struct ap_queue_status): only what apspec observes. */
export interface ApQueueStatus {
  readonly rc: number;
  readonly queueEmpty: boolean;
}

/** Defaults of `Given an s390 host` (steps.md): APXA, Na 255, Nd 84, adapters 0-3 (CEX6), domains 0-15. */
export const DEFAULT_NA = 255;
export const DEFAULT_ND = 84;

export class Machine {
  apInstructions = true;
  readonly facilities = new Set<number>(DEFAULT_HOST_FACILITIES);
  apxa = true;
  /**
   * Adapter-interruption virtualization (sclp.has_aiv / the GISA facility): KVM gives each VM a GISA
   * and its vcpus ECA_AIV (5.3+). An `s390 host` has it (kernels.md).
   */
  aiv = true;
  na = DEFAULT_NA;
  nd = DEFAULT_ND;
  /** Configured adapters: APID -> raw device type. */
  readonly adapters = new Map<number, number>();
  readonly usageDomains = new Bitmap256();
  readonly controlDomains = new Bitmap256();
  /** Queues whose status is not NORMAL (a queue that is resetting, busy, deconfigured ...). */
  readonly queueRc = new Map<Apqn, number>();
  /** Queues holding a reply for an NQAP that DQAP has not fetched yet. */
  readonly pendingReplies = new Set<Apqn>();

  constructor() {
    for (let a = 0; a <= 3; a++) this.adapters.set(a, AP_DEVICE_TYPE_CEX6);
    for (let d = 0; d <= 15; d++) {
      this.usageDomains.set(d);
      this.controlDomains.set(d);
    }
  }

  hasFacility(nr: number): boolean {
    return this.facilities.has(nr);
  }

  /** A machine without AP instructions has no AP facilities either (QCI, APFT, AQIC are AP functions). */
  removeApInstructions(): void {
    this.apInstructions = false;
    for (const f of AP_FACILITIES) this.facilities.delete(f);
  }

  /** Install or remove one STFLE facility. */
  setFacility(nr: number, installed: boolean): void {
    if (installed) this.facilities.add(nr);
    else this.facilities.delete(nr);
  }

  /**
   * Replace the AP configuration: these adapters (keeping the device type of one that stays, CEX6
   * for a new one) and these usage domains.
   */
  configure(adapters: readonly number[], domains: readonly number[]): void {
    const types = new Map(this.adapters);
    this.adapters.clear();
    for (const a of adapters) this.adapters.set(a, types.get(a) ?? AP_DEVICE_TYPE_CEX6);
    this.usageDomains.words.fill(0);
    for (const d of domains) this.usageDomains.set(d);
  }

  /** Replace the control-domain mask (QCI adm). */
  setControlDomains(ids: readonly number[]): void {
    this.controlDomains.words.fill(0);
    for (const d of ids) this.controlDomains.set(d);
  }

  /** The raw device type an adapter reports in TAPQ (CEX4 = 10 ... CEX8 = 14). */
  setAdapterType(apid: number, type: number): void {
    this.adapters.set(apid, type);
  }

  /** The response code a queue answers TAPQ/ZAPQ with (0x00: a normal queue). */
  setQueueResponseCode(q: Apqn, rc: number): void {
    if (rc === 0) this.queueRc.delete(q);
    else this.queueRc.set(q, rc);
  }

  /** Highest APID the machine addresses: Na with APXA, else 63. */
  get maxApid(): number {
    return this.apxa ? this.na : NO_APXA_MAX_APID;
  }

  /** Highest APQI the machine addresses: Nd with APXA, else 15. */
  get maxApqi(): number {
    return this.apxa ? this.nd : NO_APXA_MAX_APQI;
  }

  /** Whether a queue exists in the machine's configuration. */
  queueConfigured(q: Apqn): boolean {
    const apid = apidOf(q);
    const apqi = apqiOf(q);
    return this.adapters.has(apid) && this.usageDomains.test(apqi) && apid <= this.maxApid && apqi <= this.maxApqi;
  }

  /**
   * ap_instructions_available() (asm/ap.h): PQAP(TAPQ) on APQN 0.0 with an exception fix-up. An
   * operation exception means "not available"; any completion, whatever its response code, means
   * "available".
   */
  apInstructionsAvailable(): boolean {
    return this.apInstructions;
  }

  /** Whether PQAP(QCI) would succeed: AP instructions and facility 12. */
  qciAvailable(): boolean {
    return this.apInstructions && this.facilities.has(FAC_QCI);
  }

  /**
   * PQAP(QCI) (ap_qci, asm/ap.h): the configuration, or undefined (-EOPNOTSUPP) without facility 12.
   * Without APXA only ids up to 63/15 are reported.
   */
  qci(): ApConfigInfo | undefined {
    if (!this.qciAvailable()) return undefined;
    const apm = new Bitmap256();
    for (const apid of this.adapters.keys()) if (apid <= this.maxApid) apm.set(apid);
    const aqm = this.usageDomains.upTo(this.maxApqi);
    const adm = this.controlDomains.upTo(this.maxApqi);
    return { apxa: this.apxa, na: this.maxApid, nd: this.maxApqi, apm, aqm, adm };
  }

  /** PQAP(TAPQ) executed by the host (ap_tapq): the real queue's status. */
  tapq(q: Apqn): ApQueueStatus {
    if (!this.queueConfigured(q)) return { rc: AP_RESPONSE_Q_NOT_AVAIL, queueEmpty: true };
    return { rc: this.queueRc.get(q) ?? AP_RESPONSE_NORMAL, queueEmpty: !this.pendingReplies.has(q) };
  }

  /**
   * PQAP(ZAPQ) executed by the host (ap_zapq): reset and zeroize. A queue that is resetting or busy
   * answers with that code and stays so (apspec's queues do not change state on their own, so the
   * 20 ms retry in vfio_ap_mdev_reset_queue sees the same answer).
   */
  zapq(q: Apqn): ApQueueStatus {
    const status = this.tapq(q);
    if (status.rc === AP_RESPONSE_NORMAL) this.pendingReplies.delete(q);
    return status;
  }

  /** Whether a response code means "try again later" (RESET_IN_PROGRESS, BUSY). */
  static isTransient(rc: number): boolean {
    return rc === AP_RESPONSE_RESET_IN_PROGRESS || rc === AP_RESPONSE_BUSY;
  }

  /** Become a copy of `src` (src/sim/snapshot.ts clones Systems with it); keep in step with the fields above. */
  copyFrom(src: Machine): void {
    this.apInstructions = src.apInstructions;
    this.facilities.clear();
    for (const f of src.facilities) this.facilities.add(f);
    this.apxa = src.apxa;
    this.aiv = src.aiv;
    this.na = src.na;
    this.nd = src.nd;
    this.adapters.clear();
    for (const [k, v] of src.adapters) this.adapters.set(k, v);
    this.usageDomains.copyFrom(src.usageDomains);
    this.controlDomains.copyFrom(src.controlDomains);
    this.queueRc.clear();
    for (const [k, v] of src.queueRc) this.queueRc.set(k, v);
    this.pendingReplies.clear();
    for (const q of src.pendingReplies) this.pendingReplies.add(q);
  }
}
