import { ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/networking.istio.io';
import { fail, show } from '../private/errors';
import { checkDnsLabel, checkDnsSubdomain, checkDuration, checkInteger, checkLabels, checkPort, renderMillis, uniqSorted } from '../private/validate';
import { TlsMode } from '../values/istio-enums';
import { LoadBalancer } from '../values/load-balancer';
import { ConnectionPoolOptions, OutlierDetectionOptions } from '../values/traffic-policy';
import {
  addSizeValidation, canonical, checkArray, checkEnum, checkHostName, checkSelector, checkStrings, ExportToList, namespaceOf,
  resolveMetadata, wire,
} from './private/common';

const INT32_MAX = 2147483647;
const UINT32_MAX = 4294967295;

/** A subset of a DestinationRule's host: the endpoints whose pods carry `labels`, with optional own policies. */
export interface SubsetOptions {
  /** Name of the subset (a DNS-1123 label), referenced by `RouteDestination.subset`. */
  readonly name: string;

  /** Pod labels that select the subset's endpoints (non-empty, distinct from every other subset's). */
  readonly labels: { [key: string]: string };

  /**
   * Load balancing for this subset.
   *
   * @default - the DestinationRule's load balancer
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Connection-pool limits for this subset (unset fields take the documented defaults of `ConnectionPoolOptions`).
   *
   * @default - the DestinationRule's connection pool
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Outlier detection for this subset (unset fields take the documented defaults of `OutlierDetectionOptions`).
   *
   * @default - the DestinationRule's outlier detection
   */
  readonly outlierDetection?: OutlierDetectionOptions;
}

/** Traffic policy for one port of the host. At least one policy must be set. */
export interface PortTrafficPolicy {
  /** The port of the destination service. */
  readonly port: number;

  /**
   * Load balancing on this port.
   *
   * @default - the DestinationRule's load balancer
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Connection-pool limits on this port (unset fields take the documented defaults of `ConnectionPoolOptions`).
   *
   * @default - the DestinationRule's connection pool
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Outlier detection on this port (unset fields take the documented defaults of `OutlierDetectionOptions`).
   *
   * @default - the DestinationRule's outlier detection
   */
  readonly outlierDetection?: OutlierDetectionOptions;
}

/** Props of a `DestinationRule`. */
export interface DestinationRuleProps {
  /**
   * Metadata of the DestinationRule object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /** Fully qualified name of the host the rule applies to, e.g. `reviews.shop.svc.cluster.local`. */
  readonly host: string;

  /**
   * Namespaces the rule is visible to ('.' is its own namespace, '*' every namespace).
   *
   * @default ['.']
   */
  readonly exportTo?: string[];

  /**
   * Subsets (versions) of the host.
   *
   * @default - none; add them with `addSubset()`
   */
  readonly subsets?: SubsetOptions[];

  /**
   * TLS mode towards the host. Always rendered explicitly (no DestinationRule inherits from another).
   *
   * @default TlsMode.ISTIO_MUTUAL
   */
  readonly tlsMode?: TlsMode;

  /**
   * SNI presented to the server. Required for SIMPLE and MUTUAL (unless `insecureSkipVerify`).
   *
   * @default - no SNI
   */
  readonly sni?: string;

  /**
   * Names the server certificate must carry. Required for SIMPLE and MUTUAL (unless `insecureSkipVerify`).
   *
   * @default - the certificate's names are not checked
   */
  readonly subjectAltNames?: string[];

  /**
   * Path (in the proxy) of the CA bundle that verifies the server (SIMPLE and MUTUAL).
   *
   * @default - the OS trust store (Istio ≥ 1.21 verifies against it by default)
   */
  readonly caCertificates?: string;

  /**
   * Name of the Secret (in the client's namespace) holding the client certificate and key (MUTUAL) or CA (SIMPLE).
   *
   * @default - no Secret
   */
  readonly credentialName?: string;

  /**
   * Skips verification of the server certificate (SIMPLE and MUTUAL only; never with `caCertificates` or
   * `subjectAltNames`). Insecure: for tests against servers with self-signed certificates only.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;

  /**
   * Load balancing.
   *
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Outlier detection (passive health checking).
   *
   * @default - consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 50
   */
  readonly outlierDetection?: OutlierDetectionOptions;

  /**
   * Connection-pool limits (circuit breaking).
   *
   * @default - maxConnections 1024, connectTimeout 10s, http1MaxPendingRequests 1024, http2MaxRequests 1024, maxRetries 3
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Policies for individual ports.
   *
   * @default - none
   */
  readonly portLevelSettings?: PortTrafficPolicy[];

  /**
   * Pod labels of the client workloads the rule applies to (non-empty).
   *
   * @default - every client that sees the rule
   */
  readonly workloadSelector?: { [key: string]: string };
}

interface Subset {
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly loadBalancer?: LoadBalancer;
  readonly connectionPool?: ConnectionPoolOptions;
  readonly outlierDetection?: OutlierDetectionOptions;
}

/**
 * An Istio DestinationRule: TLS, load balancing, connection pool and outlier detection for one host, and its subsets.
 *
 * Defaults follow the resilience best practices: `ISTIO_MUTUAL` rendered explicitly, outlier detection with
 * `maxEjectionPercent` 50, bounded connection pools and a retry budget (`maxRetries`).
 */
export class DestinationRule extends Construct {
  /** The Kubernetes name of the DestinationRule. */
  public readonly name: string;
  /** The TLS mode. */
  public readonly tlsMode: TlsMode;

  private readonly _host: string;
  private readonly _exportTo: ExportToList;
  private readonly _subsets: Subset[] = [];
  private readonly props: DestinationRuleProps;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this._host = checkHostName(this, 'host', props.host);
    this._exportTo = new ExportToList(this, namespaceOf(this, props.metadata), props.exportTo);
    this.tlsMode = checkEnum(this, 'tlsMode', props.tlsMode ?? TlsMode.ISTIO_MUTUAL, TlsMode);
    this.checkTls(props);

    if (props.loadBalancer !== undefined) checkLoadBalancer(this, 'loadBalancer', props.loadBalancer);
    if (props.outlierDetection !== undefined) checkOutlierDetection(this, 'outlierDetection', props.outlierDetection);
    if (props.connectionPool !== undefined) checkConnectionPool(this, 'connectionPool', props.connectionPool);
    if (props.portLevelSettings !== undefined) {
      const ports = new Set<number>();
      checkArray(this, 'portLevelSettings', props.portLevelSettings, { nonEmpty: true, max: 4096 }).forEach((p, i) => {
        const prop = `portLevelSettings[${i}]`;
        checkPort(this, `${prop}.port`, p?.port);
        if (ports.has(p.port)) fail(this, `${prop}.port ${p.port} is listed twice`);
        ports.add(p.port);
        if (p.loadBalancer === undefined && p.connectionPool === undefined && p.outlierDetection === undefined) {
          fail(this, `${prop} must set loadBalancer, connectionPool or outlierDetection (Istio rejects an empty port policy)`);
        }
        if (p.loadBalancer !== undefined) checkLoadBalancer(this, `${prop}.loadBalancer`, p.loadBalancer);
        if (p.connectionPool !== undefined) checkConnectionPool(this, `${prop}.connectionPool`, p.connectionPool);
        if (p.outlierDetection !== undefined) checkOutlierDetection(this, `${prop}.outlierDetection`, p.outlierDetection);
      });
    }
    if (props.workloadSelector !== undefined) checkSelector(this, 'workloadSelector', props.workloadSelector);
    this.props = {
      ...props,
      subjectAltNames: props.subjectAltNames && [...props.subjectAltNames],
      outlierDetection: props.outlierDetection && { ...props.outlierDetection },
      connectionPool: props.connectionPool && { ...props.connectionPool },
      portLevelSettings: props.portLevelSettings?.map(p => ({
        ...p,
        outlierDetection: p.outlierDetection && { ...p.outlierDetection },
        connectionPool: p.connectionPool && { ...p.connectionPool },
      })),
      workloadSelector: props.workloadSelector && { ...props.workloadSelector },
    };

    for (const s of checkArray(this, 'subsets', props.subsets ?? [])) this.addSubset(s);

    const resource = new k8s.DestinationRule(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);
  }

  /** The host. */
  public get host(): string {
    return this._host;
  }

  /** The subset names, in the order they were added (copy). */
  public get subsets(): string[] {
    return this._subsets.map(s => s.name);
  }

  /** The namespaces the rule is exported to, sorted (copy). */
  public get exportTo(): string[] {
    return this._exportTo.list;
  }

  /** Adds a subset. Names must be unique and label sets distinct. */
  public addSubset(subset: SubsetOptions): void {
    const prop = `subsets[${this._subsets.length}]`;
    if (subset === null || typeof subset !== 'object') fail(this, `${prop} must be a SubsetOptions struct, got ${show(subset)}`);
    checkDnsLabel(this, `${prop}.name`, subset.name);
    const sameName = this._subsets.findIndex(s => s.name === subset.name);
    if (sameName >= 0) fail(this, `${prop}.name ${show(subset.name)} is already used by subsets[${sameName}]; subset names must be unique`);
    if (subset.labels === undefined || Object.keys(subset.labels).length === 0) {
      fail(this, `${prop}.labels must contain at least one label, got ${show(subset.labels ?? {})} (a subset without labels selects every pod of the service)`);
    }
    checkLabels(this, `${prop}.labels`, subset.labels, { nonEmpty: true });
    const key = canonical(subset.labels);
    const sameLabels = this._subsets.findIndex(s => canonical(s.labels) === key);
    if (sameLabels >= 0) {
      fail(this, `${prop}.labels ${show(subset.labels)} are the labels of subsets[${sameLabels}] ${show(this._subsets[sameLabels].name)}; two subsets with the same labels select the same pods`);
    }
    if (subset.loadBalancer !== undefined) checkLoadBalancer(this, `${prop}.loadBalancer`, subset.loadBalancer);
    if (subset.connectionPool !== undefined) checkConnectionPool(this, `${prop}.connectionPool`, subset.connectionPool);
    if (subset.outlierDetection !== undefined) checkOutlierDetection(this, `${prop}.outlierDetection`, subset.outlierDetection);
    this._subsets.push({
      ...subset,
      labels: { ...subset.labels },
      outlierDetection: subset.outlierDetection && { ...subset.outlierDetection },
      connectionPool: subset.connectionPool && { ...subset.connectionPool },
    });
  }

  /** Makes the rule visible to one more namespace. Idempotent. */
  public addExportTo(namespace: string): void {
    this._exportTo.add('addExportTo()', namespace);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.DestinationRuleSpec {
    const p = this.props;
    return {
      host: this._host,
      exportTo: this._exportTo.list,
      subsets: this._subsets.length > 0 ? [...this._subsets].sort((a, b) => (a.name < b.name ? -1 : 1)).map(s => ({
        name: s.name,
        labels: { ...s.labels },
        trafficPolicy: s.loadBalancer || s.connectionPool || s.outlierDetection ? {
          loadBalancer: s.loadBalancer?._render(),
          connectionPool: s.connectionPool && renderConnectionPool(s.connectionPool),
          outlierDetection: s.outlierDetection && renderOutlierDetection(s.outlierDetection),
        } : undefined,
      })) : undefined,
      trafficPolicy: {
        tls: {
          mode: wire<k8s.DestinationRuleSpecTrafficPolicyTlsMode>(this.tlsMode),
          sni: p.sni,
          subjectAltNames: p.subjectAltNames && uniqSorted(p.subjectAltNames),
          caCertificates: p.caCertificates,
          credentialName: p.credentialName,
          insecureSkipVerify: p.insecureSkipVerify,
        },
        loadBalancer: p.loadBalancer?._render(),
        connectionPool: renderConnectionPool(p.connectionPool ?? {}),
        outlierDetection: renderOutlierDetection(p.outlierDetection ?? {}),
        portLevelSettings: p.portLevelSettings && [...p.portLevelSettings].sort((a, b) => a.port - b.port).map(s => ({
          port: { number: s.port },
          loadBalancer: s.loadBalancer?._render(),
          connectionPool: s.connectionPool && renderConnectionPool(s.connectionPool),
          outlierDetection: s.outlierDetection && renderOutlierDetection(s.outlierDetection),
        })),
      },
      workloadSelector: p.workloadSelector && { matchLabels: { ...p.workloadSelector } },
    };
  }

  private checkTls(p: DestinationRuleProps): void {
    const mode = this.tlsMode;
    if (p.sni !== undefined) checkHostName(this, 'sni', p.sni);
    if (p.subjectAltNames !== undefined) checkStrings(this, 'subjectAltNames', p.subjectAltNames, { nonEmpty: true });
    if (p.caCertificates !== undefined && (typeof p.caCertificates !== 'string' || p.caCertificates.trim() === '')) {
      fail(this, `caCertificates must be a non-empty file path, got ${show(p.caCertificates)}`);
    }
    if (p.credentialName !== undefined) checkDnsSubdomain(this, 'credentialName', p.credentialName);
    if (p.insecureSkipVerify !== undefined && typeof p.insecureSkipVerify !== 'boolean') fail(this, `insecureSkipVerify must be a boolean, got ${show(p.insecureSkipVerify)}`);
    const given = (names: Array<keyof DestinationRuleProps>) => names.filter(n => p[n] !== undefined);

    if (mode === TlsMode.DISABLE) {
      const extra = given(['sni', 'subjectAltNames', 'caCertificates', 'credentialName', 'insecureSkipVerify']);
      if (extra.length > 0) fail(this, `${extra.join(', ')} cannot be set when tlsMode is DISABLE (no TLS is used)`);
      return;
    }
    if (mode === TlsMode.ISTIO_MUTUAL) {
      const extra = given(['caCertificates', 'credentialName', 'insecureSkipVerify']);
      if (extra.length > 0) fail(this, `${extra.join(', ')} cannot be set when tlsMode is ISTIO_MUTUAL (the mesh's own certificates are used)`);
      return;
    }
    // SIMPLE or MUTUAL: TLS origination.
    if (mode === TlsMode.MUTUAL && p.credentialName === undefined) {
      fail(this, 'credentialName is required when tlsMode is MUTUAL (the Secret with the client certificate and key)');
    }
    if (p.insecureSkipVerify === true) {
      const extra = given(['caCertificates', 'subjectAltNames']);
      if (extra.length > 0) fail(this, `insecureSkipVerify cannot be combined with ${extra.join(' or ')} (verification is either skipped or done)`);
      return;
    }
    if (p.sni === undefined) fail(this, `sni is required when tlsMode is ${mode} (the server name to present when originating TLS)`);
    if (p.subjectAltNames === undefined) {
      fail(this, `subjectAltNames is required when tlsMode is ${mode} (otherwise any certificate the CA signed is accepted); set insecureSkipVerify: true only for tests`);
    }
  }
}

function checkLoadBalancer(scope: IConstruct, prop: string, lb: LoadBalancer): void {
  if (!(lb instanceof LoadBalancer)) fail(scope, `${prop} must be a LoadBalancer (e.g. LoadBalancer.leastRequest()), got ${show(lb)}`);
  lb._validate(scope);
}

function checkOutlierDetection(scope: IConstruct, prop: string, o: OutlierDetectionOptions): void {
  if (o === null || typeof o !== 'object') fail(scope, `${prop} must be an OutlierDetectionOptions struct, got ${show(o)}`);
  if (o.consecutive5xxErrors !== undefined) checkInteger(scope, `${prop}.consecutive5xxErrors`, o.consecutive5xxErrors, 0, UINT32_MAX);
  if (o.consecutiveGatewayErrors !== undefined) checkInteger(scope, `${prop}.consecutiveGatewayErrors`, o.consecutiveGatewayErrors, 0, UINT32_MAX);
  checkDuration(scope, `${prop}.interval`, o.interval);
  checkDuration(scope, `${prop}.baseEjectionTime`, o.baseEjectionTime);
  if (o.maxEjectionPercent !== undefined) checkInteger(scope, `${prop}.maxEjectionPercent`, o.maxEjectionPercent, 0, 100);
  if (o.minHealthPercent !== undefined) checkInteger(scope, `${prop}.minHealthPercent`, o.minHealthPercent, 0, 100);
}

function checkConnectionPool(scope: IConstruct, prop: string, c: ConnectionPoolOptions): void {
  if (c === null || typeof c !== 'object') fail(scope, `${prop} must be a ConnectionPoolOptions struct, got ${show(c)}`);
  for (const f of ['maxConnections', 'http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries'] as const) {
    if (c[f] !== undefined) checkInteger(scope, `${prop}.${f}`, c[f], 0, INT32_MAX);
  }
  checkDuration(scope, `${prop}.connectTimeout`, c.connectTimeout);
  checkDuration(scope, `${prop}.idleTimeout`, c.idleTimeout);
}

function ms(d: Duration): string {
  return renderMillis(d.toMilliseconds());
}

/** The outlier detection with its defaults (shape shared by the top-level, subset and port-level L1 types). */
function renderOutlierDetection(o: OutlierDetectionOptions) {
  return {
    consecutive5XxErrors: o.consecutive5xxErrors ?? 5,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors,
    interval: ms(o.interval ?? Duration.seconds(10)),
    baseEjectionTime: ms(o.baseEjectionTime ?? Duration.seconds(30)),
    maxEjectionPercent: o.maxEjectionPercent ?? 50,
    minHealthPercent: o.minHealthPercent,
  };
}

/** The connection pool with its defaults (shape shared by the top-level, subset and port-level L1 types). */
function renderConnectionPool(c: ConnectionPoolOptions) {
  return {
    tcp: {
      maxConnections: c.maxConnections ?? 1024,
      connectTimeout: ms(c.connectTimeout ?? Duration.seconds(10)),
    },
    http: {
      http1MaxPendingRequests: c.http1MaxPendingRequests ?? 1024,
      http2MaxRequests: c.http2MaxRequests ?? 1024,
      maxRequestsPerConnection: c.maxRequestsPerConnection,
      maxRetries: c.maxRetries ?? 3,
      idleTimeout: c.idleTimeout && ms(c.idleTimeout),
    },
  };
}
