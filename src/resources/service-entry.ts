import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/networking.istio.io';
import { fail, show } from '../private/errors';
import { checkPorts } from '../private/ports';
import { checkInteger, checkLabels, checkPort, isDnsSubdomain, uniqSorted } from '../private/validate';
import { ServiceEntryLocation, ServiceEntryResolution } from '../values/istio-enums';
import { MeshPort } from '../values/mesh-port';
import {
  addSizeValidation, checkArray, checkEnum, checkHostName, checkIpOrCidr, checkNoOverlap, checkSelector, checkStrings, ExportToList,
  isCidr, isIp, namespaceOf, resolveMetadata, wire,
} from './private/common';

/** One endpoint of a ServiceEntry. */
export interface ServiceEntryEndpoint {
  /** IP address (STATIC) or DNS name (DNS, DNS_ROUND_ROBIN). */
  readonly address: string;

  /**
   * Port numbers of the endpoint by ServiceEntry port name, when they differ from the ServiceEntry's.
   *
   * @default - the ServiceEntry's port numbers
   */
  readonly ports?: { [portName: string]: number };

  /**
   * Labels of the endpoint (for subsets).
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Load-balancing weight of the endpoint (1 or more).
   *
   * @default - equal weights
   */
  readonly weight?: number;
}

/** Props of a `ServiceEntry`. */
export interface ServiceEntryProps {
  /**
   * Metadata of the ServiceEntry object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /** Fully qualified host names. `*.example.com` only with `allowWildcardHosts`; `*` never. */
  readonly hosts: string[];

  /**
   * Allows wildcard hosts (`*.example.com`), which open egress to every subdomain. Needs resolution NONE (with
   * addresses) or DYNAMIC_DNS.
   *
   * @default false
   */
  readonly allowWildcardHosts?: boolean;

  /** The ports, each with an explicit protocol. */
  readonly ports: MeshPort[];

  /**
   * Whether the service is part of the mesh.
   *
   * @default ServiceEntryLocation.MESH_EXTERNAL
   */
  readonly location?: ServiceEntryLocation;

  /**
   * How endpoints are found.
   *
   * @default ServiceEntryResolution.DNS
   */
  readonly resolution?: ServiceEntryResolution;

  /**
   * Virtual IP addresses (or CIDR blocks, with NONE or STATIC resolution only) of the service. Required for TCP
   * (non-HTTP, non-TLS) ports, where traffic is matched by address and port only.
   *
   * @default - no addresses
   */
  readonly addresses?: string[];

  /**
   * Declares that the mesh allocates virtual IPs to ServiceEntries without addresses (DNS proxying with address
   * auto-allocation), so that TCP ports without `addresses` are matched by their own address. Nothing is rendered.
   *
   * @default false
   */
  readonly dnsAutoAllocate?: boolean;

  /**
   * Endpoints (not with NONE resolution, at most one with DNS_ROUND_ROBIN).
   *
   * @default - the hosts themselves (DNS) or none
   */
  readonly endpoints?: ServiceEntryEndpoint[];

  /**
   * Namespaces the ServiceEntry is visible to ('.' is its own namespace, '*' every namespace).
   *
   * @default ['.']
   */
  readonly exportTo?: string[];

  /**
   * Pod labels selecting the in-mesh workloads that serve the hosts (instead of `endpoints`).
   *
   * @default - no workload selector
   */
  readonly workloadSelector?: { [key: string]: string };
}

/**
 * An Istio ServiceEntry: adds hosts (usually external) to the service registry with explicit ports and protocols.
 */
export class ServiceEntry extends Construct {
  /** The Kubernetes name of the ServiceEntry. */
  public readonly name: string;
  /** The location. */
  public readonly location: ServiceEntryLocation;
  /** The resolution. */
  public readonly resolution: ServiceEntryResolution;

  private readonly _hosts: string[];
  private readonly _ports: MeshPort[];
  private readonly _exportTo: ExportToList;
  private readonly addresses?: string[];
  private readonly endpoints?: ServiceEntryEndpoint[];
  private readonly workloadSelector?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this.location = checkEnum(this, 'location', props.location ?? ServiceEntryLocation.MESH_EXTERNAL, ServiceEntryLocation);
    this.resolution = checkEnum(this, 'resolution', props.resolution ?? ServiceEntryResolution.DNS, ServiceEntryResolution);
    const resolution = this.resolution;

    // Hosts.
    const allowWildcard = props.allowWildcardHosts ?? false;
    checkArray(this, 'hosts', props.hosts, { nonEmpty: true, max: 256 }).forEach((h, i) => {
      if (h === '*') fail(this, `hosts[${i}] must not be "*" (Istio rejects it: a ServiceEntry cannot claim every host)`);
      if (typeof h === 'string' && h.startsWith('*.') && !allowWildcard) {
        fail(this, `hosts[${i}] ${show(h)} is a wildcard, which opens egress to every subdomain; list the exact hosts, or set allowWildcardHosts: true`);
      }
      checkHostName(this, `hosts[${i}]`, h, { wildcard: true });
      if (h.startsWith('*.') && resolution !== ServiceEntryResolution.NONE && resolution !== ServiceEntryResolution.DYNAMIC_DNS) {
        fail(this, `hosts[${i}] ${show(h)} is a wildcard, which resolution ${resolution} cannot resolve; use resolution NONE (with addresses) or DYNAMIC_DNS`);
      }
    });
    checkNoOverlap(this, 'hosts', props.hosts);
    this._hosts = [...props.hosts];

    // Ports.
    this._ports = checkPorts(this, 'ports', props.ports);
    if (this._ports.length > 256) fail(this, `ports may list at most 256 entries, got ${this._ports.length}`);

    // Addresses.
    if (props.addresses !== undefined) {
      checkStrings(this, 'addresses', props.addresses, { nonEmpty: true }).forEach((a, i) => {
        checkIpOrCidr(this, `addresses[${i}]`, a);
        if (isCidr(a) && resolution !== ServiceEntryResolution.NONE && resolution !== ServiceEntryResolution.STATIC) {
          fail(this, `addresses[${i}] ${show(a)} is a CIDR block, which is allowed only with resolution NONE or STATIC (got ${resolution})`);
        }
      });
      this.addresses = [...props.addresses];
    }
    const hasAddresses = this.addresses !== undefined;
    if (resolution === ServiceEntryResolution.NONE && !hasAddresses) {
      fail(this, 'resolution NONE requires addresses: without them traffic is matched by port only, which opens that port to every destination');
    }
    const l4 = this._ports.filter(p => !p.isHttp && !p.isTls);
    if (l4.length > 0) {
      if (!hasAddresses && props.dnsAutoAllocate !== true) {
        fail(this, `ports ${l4.map(p => p.name).join(', ')} are ${l4.map(p => p.protocol).join('/')} (not HTTP or TLS), so traffic to them is matched by address; set addresses, or dnsAutoAllocate: true if the mesh allocates them (otherwise the port is open to every destination)`);
      }
      if (this._hosts.length > 1 && resolution !== ServiceEntryResolution.NONE) {
        fail(this, `ports ${l4.map(p => p.name).join(', ')} are not HTTP or TLS, so a ServiceEntry with resolution ${resolution} can have only one host, got ${this._hosts.length}`);
      }
    }
    if (props.dnsAutoAllocate !== undefined && typeof props.dnsAutoAllocate !== 'boolean') fail(this, `dnsAutoAllocate must be a boolean, got ${show(props.dnsAutoAllocate)}`);

    // Endpoints or workload selector.
    if (props.endpoints !== undefined) {
      if (props.workloadSelector !== undefined) fail(this, 'endpoints and workloadSelector cannot both be set');
      if (resolution === ServiceEntryResolution.NONE || resolution === ServiceEntryResolution.DYNAMIC_DNS) {
        fail(this, `endpoints cannot be set with resolution ${resolution}`);
      }
      checkArray(this, 'endpoints', props.endpoints, { nonEmpty: true, max: 4096 });
      if (resolution === ServiceEntryResolution.DNS_ROUND_ROBIN && props.endpoints.length > 1) {
        fail(this, `resolution DNS_ROUND_ROBIN allows at most one endpoint, got ${props.endpoints.length}`);
      }
      const portNames = this._ports.map(p => p.name);
      props.endpoints.forEach((e, i) => {
        const p = `endpoints[${i}]`;
        if (e === null || typeof e !== 'object') fail(this, `${p} must be a ServiceEntryEndpoint struct, got ${show(e)}`);
        if (resolution === ServiceEntryResolution.STATIC) {
          if (!isIp(e.address)) fail(this, `${p}.address must be an IP address with resolution STATIC, got ${show(e.address)}`);
        } else if (!isIp(e.address) && !isDnsSubdomain(e.address)) {
          fail(this, `${p}.address must be an IP address or a DNS name, got ${show(e.address)}`);
        }
        for (const [name, n] of Object.entries(e.ports ?? {})) {
          if (!portNames.includes(name)) fail(this, `${p}.ports key ${show(name)} is not the name of a port of the ServiceEntry (${portNames.join(', ')})`);
          checkPort(this, `${p}.ports[${name}]`, n);
        }
        if (e.labels !== undefined) checkLabels(this, `${p}.labels`, e.labels);
        if (e.weight !== undefined) checkInteger(this, `${p}.weight`, e.weight, 1, 4294967295);
      });
      this.endpoints = props.endpoints.map(e => ({ ...e, ports: e.ports && { ...e.ports }, labels: e.labels && { ...e.labels } }));
    } else if (resolution === ServiceEntryResolution.STATIC && props.workloadSelector === undefined) {
      fail(this, 'resolution STATIC requires endpoints (or a workloadSelector)');
    }
    if (props.workloadSelector !== undefined) this.workloadSelector = checkSelector(this, 'workloadSelector', props.workloadSelector);

    this._exportTo = new ExportToList(this, namespaceOf(this, props.metadata), props.exportTo);

    const resource = new k8s.ServiceEntry(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);
  }

  /** The hosts (copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The ports (copy). */
  public get ports(): MeshPort[] {
    return [...this._ports];
  }

  /** The namespaces the ServiceEntry is exported to, sorted (copy). */
  public get exportTo(): string[] {
    return this._exportTo.list;
  }

  /** Makes the ServiceEntry visible to one more namespace. Idempotent. */
  public addExportTo(namespace: string): void {
    this._exportTo.add('addExportTo()', namespace);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.ServiceEntrySpec {
    return {
      hosts: uniqSorted(this._hosts),
      addresses: this.addresses && uniqSorted(this.addresses),
      ports: [...this._ports].sort((a, b) => a.number - b.number).map(p => ({
        number: p.number,
        name: p.name,
        protocol: p.protocol,
        targetPort: p.targetPort !== p.number ? p.targetPort : undefined,
      })),
      location: wire<k8s.ServiceEntrySpecLocation>(this.location),
      resolution: wire<k8s.ServiceEntrySpecResolution>(this.resolution),
      endpoints: this.endpoints?.map(e => ({
        address: e.address,
        ports: e.ports && { ...e.ports },
        labels: e.labels && { ...e.labels },
        weight: e.weight,
      })),
      exportTo: this._exportTo.list,
      workloadSelector: this.workloadSelector && { labels: { ...this.workloadSelector } },
    };
  }
}
