import { IConstruct } from 'constructs';
import { fail, show } from '../private/errors';

/** Options of `ApplyOrder.argoCdSyncWaves()`. */
export interface ArgoCdSyncWaveOptions {
  /**
   * Sync wave of the DestinationRule (its subsets must exist before any route uses them).
   *
   * @default -1
   */
  readonly destinationRuleWave?: number;

  /**
   * Sync wave of the VirtualServices that route to the subsets. Must be greater than `destinationRuleWave`; with
   * the default, the Deployments (wave 0, unannotated) are healthy before the routes send them traffic.
   *
   * @default 1
   */
  readonly virtualServiceWave?: number;
}

/**
 * How a GitOps tool is told to apply a service's routing objects in a safe order (make-before-break: the
 * DestinationRule with the subsets before the VirtualService that routes to them).
 *
 * `ApplyOrder.NONE` (no hints), `ApplyOrder.ARGO_CD_SYNC_WAVES` (`argocd.argoproj.io/sync-wave` -1 on the
 * DestinationRule, 1 on the VirtualService), or `ApplyOrder.argoCdSyncWaves({ ... })` for other waves.
 */
export class ApplyOrder {
  /** The Argo CD annotation that orders the objects of one sync. */
  public static readonly ARGO_CD_SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

  /** No ordering hints: every object is applied in the same step. */
  public static readonly NONE = new ApplyOrder(undefined, undefined);

  /** Argo CD sync waves: the DestinationRule in wave -1, the VirtualService in wave 1 (workloads stay in wave 0). */
  public static readonly ARGO_CD_SYNC_WAVES = new ApplyOrder(-1, 1);

  /** Argo CD sync waves with the given waves (integers, DestinationRule wave lower than VirtualService wave). */
  public static argoCdSyncWaves(options: ArgoCdSyncWaveOptions = {}): ApplyOrder {
    return new ApplyOrder(options.destinationRuleWave ?? -1, options.virtualServiceWave ?? 1);
  }

  /**
   * Sync wave of the DestinationRule.
   *
   * @default - no wave (ApplyOrder.NONE)
   */
  public readonly destinationRuleWave?: number;

  /**
   * Sync wave of the VirtualService.
   *
   * @default - no wave (ApplyOrder.NONE)
   */
  public readonly virtualServiceWave?: number;

  private constructor(destinationRuleWave: number | undefined, virtualServiceWave: number | undefined) {
    this.destinationRuleWave = destinationRuleWave;
    this.virtualServiceWave = virtualServiceWave;
  }

  /**
   * Checks the waves for the construct that received them.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    const dr = this.destinationRuleWave;
    const vs = this.virtualServiceWave;
    if (dr === undefined && vs === undefined) return;
    for (const [name, w] of [['destinationRuleWave', dr], ['virtualServiceWave', vs]] as const) {
      if (typeof w !== 'number' || !Number.isSafeInteger(w) || Object.is(w, -0)) {
        fail(scope, `${prop}.${name} must be an integer (an Argo CD sync wave), got ${show(w)}`);
      }
    }
    if (dr! >= vs!) {
      fail(scope, `${prop}: destinationRuleWave (${dr}) must be lower than virtualServiceWave (${vs}) so that the subsets exist before the routes that use them`);
    }
  }

  /**
   * The annotations for the DestinationRule.
   * @internal
   */
  public _destinationRuleAnnotations(): { [key: string]: string } {
    return this.destinationRuleWave === undefined ? {} : { [ApplyOrder.ARGO_CD_SYNC_WAVE_ANNOTATION]: String(this.destinationRuleWave) };
  }

  /**
   * The annotations for a VirtualService.
   * @internal
   */
  public _virtualServiceAnnotations(): { [key: string]: string } {
    return this.virtualServiceWave === undefined ? {} : { [ApplyOrder.ARGO_CD_SYNC_WAVE_ANNOTATION]: String(this.virtualServiceWave) };
  }
}
