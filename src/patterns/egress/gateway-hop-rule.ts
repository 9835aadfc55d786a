// The DestinationRule for the sidecar → egress gateway hop of one EgressControlledService. Internal: not re-exported.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/networking.istio.io';
import { uniqSorted } from '../../private/validate';

/** One subset of the hop: the egress gateway pods, reached with Istio mTLS presenting `sni`. */
export interface GatewayHopSubset {
  readonly name: string;
  readonly sni: string;
}

export interface GatewayHopRuleProps {
  readonly name: string;
  readonly namespace: string;
  /** FQDN of the egress gateway Service. */
  readonly host: string;
  /** Pod labels of the egress gateway (the subsets' labels). */
  readonly labels: { [key: string]: string };
  readonly subsets: GatewayHopSubset[];
}

/**
 * A DestinationRule for the egress gateway Service with one subset per external host, each with
 * `tls: ISTIO_MUTUAL` and the external host as SNI (the gateway's server for that host matches on it).
 *
 * Rendered with the generated L1 class because the SNI must be set per subset: every
 * EgressControlledService using the same gateway adds its own DestinationRule for the gateway host, Istio
 * merges their subsets and keeps only the first top-level traffic policy, so a top-level SNI would be wrong
 * for all but one of them. The L2 `DestinationRule` has no subset-level TLS (yet).
 */
export class GatewayHopRule extends Construct {
  public readonly name: string;
  private readonly props: GatewayHopRuleProps;
  private readonly _exportTo = new Set<string>(['.']);

  constructor(scope: Construct, id: string, props: GatewayHopRuleProps) {
    super(scope, id);
    this.name = props.name;
    this.props = { ...props, labels: { ...props.labels }, subsets: props.subsets.map(s => ({ ...s })) };
    new k8s.DestinationRule(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
  }

  /** The namespaces the rule is exported to, sorted (copy). */
  public get exportTo(): string[] {
    return uniqSorted(this._exportTo);
  }

  /** Makes the rule visible to one more namespace. Idempotent. */
  public addExportTo(namespace: string): void {
    this._exportTo.add(namespace === this.props.namespace ? '.' : namespace);
  }

  /** @internal */
  public _renderSpec(): k8s.DestinationRuleSpec {
    return {
      host: this.props.host,
      exportTo: this.exportTo,
      trafficPolicy: { tls: { mode: k8s.DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL } },
      subsets: [...this.props.subsets].sort((a, b) => (a.name < b.name ? -1 : 1)).map(s => ({
        name: s.name,
        labels: { ...this.props.labels },
        trafficPolicy: { tls: { mode: k8s.DestinationRuleSpecSubsetsTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL, sni: s.sni } },
      })),
    };
  }
}
