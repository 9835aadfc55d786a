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

  /**
   * TLS mode towards this subset. A subset's TLS settings replace the DestinationRule's as a whole (Istio does
   * not merge them field by field), so `sni`, `subjectAltNames`, `caCertificates`, `credentialName` and
   * `insecureSkipVerify` of the subset need it and are checked against it as the DestinationRule's are.
   *
   * @default - the DestinationRule's TLS settings
   */
  readonly tlsMode?: TlsMode;

  /**
   * SNI presented to this subset's endpoints (needs `tlsMode`). Subsets with the same labels must present
   * different SNIs (e.g. one subset per external host on an egress gateway).
   *
   * @default - no SNI
   */
  readonly sni?: string;

  /**
   * Names the certificate of this subset's endpoints must carry (needs `tlsMode`). Required for SIMPLE and MUTUAL
   * (unless `insecureSkipVerify`).
   *
   * @default - the certificate's names are not checked
   */
  readonly subjectAltNames?: string[];

  /**
   * Path (in the proxy) of the CA bundle that verifies this subset's endpoints (needs `tlsMode` SIMPLE or MUTUAL).
   *
   * @default - the OS trust store (Istio ≥ 1.21 verifies against it by default)
   */
  readonly caCertificates?: string;

  /**
   * Name of the Secret (in the client's namespace) holding the client certificate and key (MUTUAL) or CA (SIMPLE)
   * for this subset (needs `tlsMode`).
   *
   * @default - no Secret
   */
  readonly credentialName?: string;

  /**
   * Skips verification of this subset's certificate (needs `tlsMode` SIMPLE or MUTUAL, and neither `caCertificates`
   * nor `subjectAltNames`). Insecure: for tests against servers with self-signed certificates only.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
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
   * SNI presented to the server. Recommended for SIMPLE and MUTUAL; without it the server certificate is still
   * verified against `subjectAltNames`.
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

  /**
   * Renders the recommended connection pool and outlier detection (see `connectionPool` and `outlierDetection`)
   * when they are not given. Set `false` for a rule that only contributes subsets to a host that another
   * DestinationRule configures: Istio merges the subsets of all rules for a host but keeps the top-level traffic
   * policy of only one of them.
   *
   * @default true
   */
  readonly resilienceDefaults?: boolean;
}

/** The TLS settings of the DestinationRule or of one subset. */
interface TlsSettings {
  readonly tlsMode?: TlsMode;
  readonly sni?: string;
  readonly subjectAltNames?: string[];
  readonly caCertificates?: string;
  readonly credentialName?: string;
  readonly insecureSkipVerify?: boolean;
}

const TLS_FIELDS = ['sni', 'subjectAltNames', 'caCertificates', 'credentialName', 'insecureSkipVerify'] as const;

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
  private readonly _subsets: SubsetOptions[] = [];
  private readonly props: DestinationRuleProps;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this._host = checkHostName(this, 'host', props.host);
    this._exportTo = new ExportToList(this, namespaceOf(this, props.metadata), props.exportTo);
    this.tlsMode = checkEnum(this, 'tlsMode', props.tlsMode ?? TlsMode.ISTIO_MUTUAL, TlsMode);
    checkTls(this, '', { ...props, tlsMode: this.tlsMode });
    if (props.resilienceDefaults !== undefined && typeof props.resilienceDefaults !== 'boolean') {
      fail(this, `resilienceDefaults must be a boolean, got ${show(props.resilienceDefaults)}`);
    }

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
    if (subset.loadBalancer !== undefined) checkLoadBalancer(this, `${prop}.loadBalancer`, subset.loadBalancer);
    if (subset.connectionPool !== undefined) checkConnectionPool(this, `${prop}.connectionPool`, subset.connectionPool);
    if (subset.outlierDetection !== undefined) checkOutlierDetection(this, `${prop}.outlierDetection`, subset.outlierDetection);
    if (subset.tlsMode !== undefined) {
      checkTls(this, `${prop}.`, { ...subset, tlsMode: checkEnum(this, `${prop}.tlsMode`, subset.tlsMode, TlsMode) });
    } else {
      const orphan = TLS_FIELDS.filter(f => subset[f] !== undefined);
      if (orphan.length > 0) {
        fail(this, `${orphan.map(f => `${prop}.${f}`).join(', ')} ${orphan.length === 1 ? 'needs' : 'need'} ${prop}.tlsMode (a subset's TLS settings replace the DestinationRule's as a whole)`);
      }
    }
    // Two subsets may select the same pods only to reach them under different server names (SNI).
    const key = canonical(subset.labels);
    const sameLabels = this._subsets.findIndex(s => canonical(s.labels) === key
      && (s.sni === undefined || subset.sni === undefined || s.sni === subset.sni));
    if (sameLabels >= 0) {
      fail(this, `${prop}.labels ${show(subset.labels)} are the labels of subsets[${sameLabels}] ${show(this._subsets[sameLabels].name)}; two subsets with the same labels select the same pods (allowed only when they present different sni)`);
    }
    this._subsets.push({
      ...subset,
      labels: { ...subset.labels },
      outlierDetection: subset.outlierDetection && { ...subset.outlierDetection },
      connectionPool: subset.connectionPool && { ...subset.connectionPool },
      subjectAltNames: subset.subjectAltNames && [...subset.subjectAltNames],
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
    // Without resilience defaults only what was given is rendered (unset fields of a given struct still take theirs).
    const withDefaults = p.resilienceDefaults ?? true;
    const pool = p.connectionPool ?? (withDefaults ? {} : undefined);
    const outlier = p.outlierDetection ?? (withDefaults ? {} : undefined);
    return {
      host: this._host,
      exportTo: this._exportTo.list,
      subsets: this._subsets.length > 0 ? [...this._subsets].sort((a, b) => (a.name < b.name ? -1 : 1)).map(s => ({
        name: s.name,
        labels: { ...s.labels },
        trafficPolicy: s.loadBalancer || s.connectionPool || s.outlierDetection || s.tlsMode ? {
          loadBalancer: s.loadBalancer?._render(),
          connectionPool: s.connectionPool && renderConnectionPool(s.connectionPool),
          outlierDetection: s.outlierDetection && renderOutlierDetection(s.outlierDetection),
          tls: s.tlsMode && renderTls<k8s.DestinationRuleSpecSubsetsTrafficPolicyTlsMode>({ ...s, tlsMode: s.tlsMode }),
        } : undefined,
      })) : undefined,
      trafficPolicy: {
        tls: renderTls<k8s.DestinationRuleSpecTrafficPolicyTlsMode>({ ...p, tlsMode: this.tlsMode }),
        loadBalancer: p.loadBalancer?._render(),
        connectionPool: pool && renderConnectionPool(pool),
        outlierDetection: outlier && renderOutlierDetection(outlier),
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
}

/**
 * Checks TLS settings (of the rule when `prefix` is '', of a subset when it is `subsets[i].`) against their mode.
 * Messages name the props with the prefix.
 */
function checkTls(scope: IConstruct, prefix: string, p: TlsSettings & { tlsMode: TlsMode }): void {
  const mode = p.tlsMode;
  if (p.sni !== undefined) checkHostName(scope, `${prefix}sni`, p.sni);
  if (p.subjectAltNames !== undefined) checkStrings(scope, `${prefix}subjectAltNames`, p.subjectAltNames, { nonEmpty: true });
  if (p.caCertificates !== undefined && (typeof p.caCertificates !== 'string' || p.caCertificates.trim() === '')) {
    fail(scope, `${prefix}caCertificates must be a non-empty file path, got ${show(p.caCertificates)}`);
  }
  if (p.credentialName !== undefined) checkDnsSubdomain(scope, `${prefix}credentialName`, p.credentialName);
  if (p.insecureSkipVerify !== undefined && typeof p.insecureSkipVerify !== 'boolean') {
    fail(scope, `${prefix}insecureSkipVerify must be a boolean, got ${show(p.insecureSkipVerify)}`);
  }
  const given = (names: ReadonlyArray<typeof TLS_FIELDS[number]>) => names.filter(n => p[n] !== undefined).map(n => `${prefix}${n}`);

  if (mode === TlsMode.DISABLE) {
    const extra = given(TLS_FIELDS);
    if (extra.length > 0) fail(scope, `${extra.join(', ')} cannot be set when ${prefix}tlsMode is DISABLE (no TLS is used)`);
    return;
  }
  if (mode === TlsMode.ISTIO_MUTUAL) {
    const extra = given(['caCertificates', 'credentialName', 'insecureSkipVerify']);
    if (extra.length > 0) fail(scope, `${extra.join(', ')} cannot be set when ${prefix}tlsMode is ISTIO_MUTUAL (the mesh's own certificates are used)`);
    return;
  }
  // SIMPLE or MUTUAL: TLS origination.
  if (mode === TlsMode.MUTUAL && p.credentialName === undefined) {
    fail(scope, `${prefix}credentialName is required when ${prefix}tlsMode is MUTUAL (the Secret with the client certificate and key)`);
  }
  if (p.insecureSkipVerify === true) {
    const extra = given(['caCertificates', 'subjectAltNames']);
    if (extra.length > 0) fail(scope, `${prefix}insecureSkipVerify cannot be combined with ${extra.join(' or ')} (verification is either skipped or done)`);
    return;
  }
  // The SNI is optional: the certificate is verified against subjectAltNames, which are required.
  if (p.subjectAltNames === undefined) {
    fail(scope, `${prefix}subjectAltNames is required when ${prefix}tlsMode is ${mode} (otherwise any certificate the CA signed is accepted); set ${prefix}insecureSkipVerify: true only for tests`);
  }
}

/** The `tls` block of a traffic policy (shape shared by the top-level and subset L1 types). */
function renderTls<M>(t: TlsSettings & { tlsMode: TlsMode }) {
  return {
    mode: wire<M>(t.tlsMode),
    sni: t.sni,
    subjectAltNames: t.subjectAltNames && uniqSorted(t.subjectAltNames),
    caCertificates: t.caCertificates,
    credentialName: t.credentialName,
    insecureSkipVerify: t.insecureSkipVerify,
  };
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
