/**
 * vfio_ap's objects (drivers/s390/crypto/vfio_ap_private.h, Linux 4.20; reference §1.3):
 * struct ap_matrix, struct ap_matrix_mdev and struct ap_matrix_dev.
 */
import { Bitmap256 } from '../bitmap';
import type { ApConfigInfo } from '../firmware/ap-config';
import { NO_APXA_MAX_APID, NO_APXA_MAX_APQI } from '../firmware/ap-config';
import type { Apqn } from '../apqn';
import type { PqapHook, PqapRequest, PqapResult } from '../kvm/hooks';
import type { Vm } from '../kvm/vm';
import { vfioApHandlePqap } from './pqap';

/** MAX_ZDEV_ENTRIES_EXT (uapi zcrypt.h): 256 x 256, the initial available_instances. */
export const MAX_ZDEV_ENTRIES_EXT = 256 * 256;

export interface ApMatrix {
  apmMax: number;
  readonly apm: Bitmap256;
  aqmMax: number;
  readonly aqm: Bitmap256;
  admMax: number;
  readonly adm: Bitmap256;
}

/**
 * vfio_ap_matrix_init: apm_max = Na with APXA else 63; aqm_max = adm_max = Nd with APXA else 15.
 * Computed once, at mdev creation, from the QCI snapshot taken at module init.
 */
export function vfioApMatrixInit(info: ApConfigInfo): ApMatrix {
  return {
    apmMax: info.apxa ? info.na : NO_APXA_MAX_APID,
    apm: new Bitmap256(),
    aqmMax: info.apxa ? info.nd : NO_APXA_MAX_APQI,
    aqm: new Bitmap256(),
    admMax: info.apxa ? info.nd : NO_APXA_MAX_APQI,
    adm: new Bitmap256(),
  };
}

/** The three masks of an APCB: vfio_ap's shadow copy of what the guest gets (E5 `shadow_apcb`). */
export interface ApcbMasks {
  readonly apm: Bitmap256;
  readonly aqm: Bitmap256;
  readonly adm: Bitmap256;
}

/**
 * struct ap_matrix_mdev. It is also the pqap_hook vfio_ap stores in kvm->arch.crypto (5.3+): KVM's
 * handle_pqap calls `handlePqap` on whichever mdev's hook is in the slot (src/sim/vfio-ap/pqap.ts),
 * so storing the hook allocates nothing.
 */
export class MatrixMdev implements PqapHook {
  /** matrix_mdev->kvm. */
  kvm: Vm | null = null;
  /** The group notifier is registered (between open and release; E1-E3). */
  notifierRegistered = false;
  /**
   * matrix_mdev->shadow_apcb (E5): the matrix filtered by the host configuration and by the queues
   * bound to vfio_ap; what the guest gets. Unused by the static shape.
   */
  readonly shadow: ApcbMasks = { apm: new Bitmap256(), aqm: new Bitmap256(), adm: new Bitmap256() };
  /**
   * The `remove` write waits in vfio_unregister_group_dev for the device fd to be closed (E4+): the
   * removal completes at close (vfio_ap.mdev_remove = wait-for-close).
   */
  removePending = false;
  /** APQNs whose interruptions this mdev enabled through AQIC (vfio_ap_queue saved_isc/saved_pfn); null until the first. */
  irqEnabled: Set<Apqn> | null = null;

  constructor(
    readonly c: VfioApContext,
    /** The scenario's name for the mdev ("m1"); stands for its UUID. */
    readonly name: string,
    readonly matrix: ApMatrix,
  ) {}

  get pqapOwner(): string {
    return this.name;
  }

  /** The function vfio_ap stores in kvm->arch.crypto.pqap_hook (handle_pqap in vfio_ap_ops.c). */
  handlePqap(req: PqapRequest): PqapResult {
    return vfioApHandlePqap(this.c, this, req);
  }
}

export interface MatrixDev {
  /** matrix_dev->info: QCI snapshot at module init, all zero without facility 12. */
  readonly info: ApConfigInfo;
  availableInstances: number;
  /** matrix_dev->mdev_list; list_add puts new mdevs at the head. */
  readonly mdevList: MatrixMdev[];
}

/** What vfio_ap's functions reach: the kernel context, the AP bus, KVM's exports, the vfio core. */
export interface VfioApContext {
  readonly k: import('../kernel').Kernel;
  readonly apBus: import('../ap-bus/ap-bus').ApBus;
  readonly core: import('./vfio-core').VfioCore;
  /** matrix_dev; null while the module is not loaded. */
  matrixDev: MatrixDev | null;
  /** The module's reference count (try_module_get in open, module_put in release). */
  refcount: number;
}

/** The name vfio_ap registers its AP driver under (VFIO_AP_DRV_NAME). */
export const VFIO_AP_DRV_NAME = 'vfio_ap';
