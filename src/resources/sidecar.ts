import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/networking.istio.io';
import { fail, show } from '../private/errors';
import { isDnsLabel, uniqSorted } from '../private/validate';
import { OutboundTrafficPolicy } from '../values/istio-enums';
import { MeshPort } from '../values/mesh-port';
import { addSizeValidation, checkArray, checkEnum, checkHostName, checkSelector, resolveMetadata, wire } from './private/common';

const ALL = '*/*';

/** Props of a `Sidecar`. */
export interface SidecarProps {
  /**
   * Metadata of the Sidecar object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Pod labels of the workloads the Sidecar applies to (non-empty).
   *
   * @default - every workload of the namespace without a more specific Sidecar
   */
  readonly selector?: { [key: string]: string };

  /**
   * The services the workloads may reach, as `<namespace>/<host>`: `shop/reviews.shop.svc.cluster.local`,
   * `./reviews.shop.svc.cluster.local` ('.' is the Sidecar's namespace), `istio-system/*` (every host of a
   * namespace); the namespace '*' means any namespace. Duplicates are dropped; rendered sorted.
   *
   * @default - none; add them with `addEgressHost()` (at least one is required at synth)
   */
  readonly egressHosts?: string[];

  /**
   * Allows the egress host "any namespace / any host" (every service of the mesh), which disables the scoping a
   * Sidecar is for.
   *
   * @default false
   */
  readonly allowAllEgressHosts?: boolean;

  /**
   * What happens to traffic to hosts outside the registry. Always rendered explicitly.
   *
   * @default OutboundTrafficPolicy.REGISTRY_ONLY
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;

  /**
   * Restricts the egress listener to one port.
   *
   * @default - every port
   */
  readonly egressPort?: MeshPort;
}

/**
 * An Istio Sidecar: the hosts a workload's proxy knows about (egress scoping) and its outbound traffic policy.
 */
export class Sidecar extends Construct {
  /** The Kubernetes name of the Sidecar. */
  public readonly name: string;
  /** The outbound traffic policy. */
  public readonly outboundTrafficPolicy: OutboundTrafficPolicy;

  private readonly _egressHosts: string[] = [];
  private readonly allowAll: boolean;
  private readonly selector?: { [key: string]: string };
  private readonly egressPort?: MeshPort;

  constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    if (props.selector !== undefined) this.selector = checkSelector(this, 'selector', props.selector);
    this.allowAll = props.allowAllEgressHosts ?? false;
    if (typeof this.allowAll !== 'boolean') fail(this, `allowAllEgressHosts must be a boolean, got ${show(props.allowAllEgressHosts)}`);
    this.outboundTrafficPolicy = checkEnum(this, 'outboundTrafficPolicy', props.outboundTrafficPolicy ?? OutboundTrafficPolicy.REGISTRY_ONLY, OutboundTrafficPolicy);
    if (props.egressPort !== undefined) {
      if (!(props.egressPort instanceof MeshPort)) fail(this, `egressPort must be a MeshPort (e.g. MeshPort.http(8080)), got ${show(props.egressPort)}`);
      props.egressPort._validate(this, 'egressPort');
      this.egressPort = props.egressPort;
    }
    checkArray(this, 'egressHosts', props.egressHosts ?? []).forEach((h, i) => this.add(`egressHosts[${i}]`, h));

    const resource = new k8s.Sidecar(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);

    this.node.addValidation({
      validate: () => (this._egressHosts.length === 0
        ? ['Sidecar has no egress hosts: a Sidecar without egress imports every service of the mesh; add hosts with addEgressHost() (e.g. "istio-system/*")']
        : []),
    });
  }

  /** The egress hosts, sorted (copy). */
  public get egressHosts(): string[] {
    return uniqSorted(this._egressHosts);
  }

  /** Adds an egress host (`<namespace>/<host>`). Adding one that is already there does nothing. */
  public addEgressHost(host: string): void {
    this.add('addEgressHost()', host);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.SidecarSpec {
    const port = this.egressPort;
    return {
      workloadSelector: this.selector && { labels: { ...this.selector } },
      egress: this._egressHosts.length > 0 ? [{
        port: port && { number: port.number, protocol: port.protocol, name: port.name },
        hosts: this.egressHosts,
      }] : undefined,
      outboundTrafficPolicy: { mode: wire<k8s.SidecarSpecOutboundTrafficPolicyMode>(this.outboundTrafficPolicy) },
    };
  }

  private add(prop: string, host: string): void {
    if (typeof host !== 'string') fail(this, `${prop} must be "<namespace>/<host>", got ${show(host)}`);
    const parts = host.split('/');
    if (parts.length !== 2) {
      fail(this, `${prop} must be "<namespace>/<host>" ('.' for the Sidecar's namespace, '*' for any), got ${show(host)}${parts.length === 1 ? ` (e.g. "./${host}")` : ''}`);
    }
    const [ns, name] = parts;
    if (ns !== '.' && ns !== '*' && ns !== '~' && !isDnsLabel(ns)) {
      fail(this, `${prop} namespace must be '.', '*', '~' or a namespace name (a DNS-1123 label), got ${show(ns)} in ${show(host)}`);
    }
    checkHostName(this, `${prop} host`, name, { wildcard: true, star: true });
    if (host === ALL && !this.allowAll) {
      fail(this, `${prop} "*/*" imports every service of the mesh, which disables egress scoping; list the hosts the workload calls, or set allowAllEgressHosts: true`);
    }
    if (this._egressHosts.includes(host)) return;
    if ((host === ALL && this._egressHosts.length > 0) || this._egressHosts.includes(ALL)) {
      fail(this, `${prop} ${show(host)}: "*/*" already covers every host and cannot be combined with other egress hosts`);
    }
    this._egressHosts.push(host);
  }
}
