import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/security.istio.io';
import { fail, show } from '../private/errors';
import { checkPort } from '../private/validate';
import { MtlsMode } from '../values/istio-enums';
import { addSizeValidation, checkArray, checkEnum, checkSelector, resolveMetadata, wire } from './private/common';

/** The mTLS mode of one workload port. */
export interface PortMtls {
  /** The container port (the port the workload listens on, not the Service port), 1–65535. */
  readonly port: number;

  /** The mode on this port. */
  readonly mode: MtlsMode;
}

/** Props of a `PeerAuthentication`. */
export interface PeerAuthenticationProps {
  /**
   * Metadata of the PeerAuthentication object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Pod labels of the workloads the policy applies to (non-empty).
   *
   * @default - every workload of the namespace (of the mesh, in the root namespace)
   */
  readonly selector?: { [key: string]: string };

  /**
   * The mutual TLS mode. Always rendered explicitly.
   *
   * @default MtlsMode.STRICT
   */
  readonly mtlsMode?: MtlsMode;

  /**
   * Per-port modes (requires `selector`).
   *
   * @default - the same mode on every port
   */
  readonly portLevelMtls?: PortMtls[];
}

/**
 * An Istio PeerAuthentication: which traffic a workload (or namespace, or the mesh) accepts. STRICT by default.
 */
export class PeerAuthentication extends Construct {
  /** The Kubernetes name of the PeerAuthentication. */
  public readonly name: string;
  /** The mutual TLS mode. */
  public readonly mtlsMode: MtlsMode;

  private readonly selector?: { [key: string]: string };
  private readonly portLevelMtls?: PortMtls[];

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this.mtlsMode = checkEnum(this, 'mtlsMode', props.mtlsMode ?? MtlsMode.STRICT, MtlsMode);
    if (props.selector !== undefined) this.selector = checkSelector(this, 'selector', props.selector);
    if (props.portLevelMtls !== undefined) {
      if (this.selector === undefined) fail(this, 'portLevelMtls requires a selector (Istio applies port-level modes only to selected workloads)');
      const seen = new Set<number>();
      checkArray(this, 'portLevelMtls', props.portLevelMtls, { nonEmpty: true }).forEach((p, i) => {
        if (p === null || typeof p !== 'object') fail(this, `portLevelMtls[${i}] must be a PortMtls struct, got ${show(p)}`);
        checkPort(this, `portLevelMtls[${i}].port`, p.port);
        checkEnum(this, `portLevelMtls[${i}].mode`, p.mode, MtlsMode);
        if (seen.has(p.port)) fail(this, `portLevelMtls[${i}].port ${p.port} is listed twice`);
        seen.add(p.port);
      });
      this.portLevelMtls = props.portLevelMtls.map(p => ({ ...p }));
    }

    const resource = new k8s.PeerAuthentication(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.PeerAuthenticationSpec {
    return {
      selector: this.selector && { matchLabels: { ...this.selector } },
      mtls: { mode: wire<k8s.PeerAuthenticationSpecMtlsMode>(this.mtlsMode) },
      portLevelMtls: this.portLevelMtls && Object.fromEntries(
        this.portLevelMtls.map(p => [String(p.port), { mode: wire<k8s.PeerAuthenticationSpecPortLevelMtlsMode>(p.mode) }]),
      ),
    };
  }
}
