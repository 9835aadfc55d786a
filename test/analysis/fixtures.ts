// Builders for the analyzer tests of the scoping, security, workloads-and-namespaces and telemetry rules.
// Each builder returns the plain object a manifest would parse to (keys in manifest order); objects no builder
// covers are written as YAML and read with `fromYaml`.
import { parseAllDocuments } from 'yaml';
import { MeshAnalyzerSettings } from '../../src/analysis/finding';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { KubeObject } from '../../src/analysis/model';
import { expectValid } from '../helpers';

export type { KubeObject, MeshAnalyzerSettings };

export type Labels = { [key: string]: string };

/** A JSON value of a manifest (a spec, a container, a port ...), written as it appears in the manifest. */
export type Json = { [key: string]: any };

/** GIVEN the objects (validated against the pinned CRDs), WHEN analyzed, THEN the `severity object` of every finding of `rule`, sorted. */
export function findingsOf(rule: string, objects: KubeObject[], settings: MeshAnalyzerSettings = {}): string[] {
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === rule).map((f) => `${f.severity} ${f.object}`).sort();
}

/** The objects of a multi-document YAML string. */
export function fromYaml(yaml: string): KubeObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
}

/** A Namespace, with `metadata.labels` only when given. */
export function namespace(name: string, labels?: Labels): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels ? { name, labels } : { name } };
}

export function serviceAccount(ns: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

/** `metadata` of a namespaced object: name, namespace, then labels and annotations when given. */
function meta(ns: string, name: string, opts: { labels?: Labels; annotations?: Labels } = {}): Json {
  return {
    name,
    namespace: ns,
    ...(opts.labels ? { labels: opts.labels } : {}),
    ...(opts.annotations ? { annotations: opts.annotations } : {}),
  };
}

/** A Service with a selector: `spec: { selector, ports }`. */
export function service(ns: string, name: string, selector: Labels, ports: Json[], opts: { labels?: Labels; annotations?: Labels } = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(ns, name, opts), spec: { selector, ports } };
}

/** Options of `deployment` and `statefulSet`. */
export interface PodOptions {
  /** `spec.selector.matchLabels` (default `{ app: <name> }`). */
  readonly matchLabels?: Labels;
  /** The controller's own `metadata.annotations`. */
  readonly annotations?: Labels;
  /** The pod template's `metadata.annotations`. */
  readonly podAnnotations?: Labels;
  /** The pod's `securityContext`. */
  readonly securityContext?: Json;
  /** The `ports` of the default container. */
  readonly containerPorts?: Json[];
  /** The containers (default one `app` container, image `example/<name>:1`). */
  readonly containers?: Json[];
}

function podController(apiVersion: string, kind: string, ns: string, name: string, podLabels: Labels, opts: PodOptions, spec: Json): KubeObject {
  const template = {
    metadata: opts.podAnnotations ? { labels: podLabels, annotations: opts.podAnnotations } : { labels: podLabels },
    spec: {
      ...(opts.securityContext ? { securityContext: opts.securityContext } : {}),
      containers: opts.containers ?? [{ name: 'app', image: `example/${name}:1`, ...(opts.containerPorts ? { ports: opts.containerPorts } : {}) }],
    },
  };
  return {
    apiVersion,
    kind,
    metadata: meta(ns, name, { annotations: opts.annotations }),
    spec: { ...spec, selector: { matchLabels: opts.matchLabels ?? { app: name } }, template },
  };
}

/** A Deployment whose pod template carries `podLabels`. */
export function deployment(ns: string, name: string, podLabels: Labels, opts: PodOptions = {}): KubeObject {
  return podController('apps/v1', 'Deployment', ns, name, podLabels, opts, {});
}

/** A StatefulSet (`serviceName: <name>`) whose pod template carries `podLabels`. */
export function statefulSet(ns: string, name: string, podLabels: Labels, opts: PodOptions = {}): KubeObject {
  return podController('apps/v1', 'StatefulSet', ns, name, podLabels, opts, { serviceName: name });
}

/** A builder of namespaced objects of one kind: `{ apiVersion, kind, metadata: { name, namespace }, spec }`. */
export type SpecBuilder = (ns: string, name: string, spec: Json) => KubeObject;

function specBuilder(apiVersion: string, kind: string): SpecBuilder {
  return (ns, name, spec) => ({ apiVersion, kind, metadata: { name, namespace: ns }, spec });
}

export const peerAuthentication = specBuilder('security.istio.io/v1', 'PeerAuthentication');
export const authorizationPolicy = specBuilder('security.istio.io/v1', 'AuthorizationPolicy');
export const requestAuthentication = specBuilder('security.istio.io/v1', 'RequestAuthentication');
export const sidecar = specBuilder('networking.istio.io/v1', 'Sidecar');
export const destinationRule = specBuilder('networking.istio.io/v1', 'DestinationRule');
/** An Istio `networking.istio.io` Gateway. */
export const gateway = specBuilder('networking.istio.io/v1', 'Gateway');
/** A Gateway API `gateway.networking.k8s.io` Gateway. */
export const k8sGateway = specBuilder('gateway.networking.k8s.io/v1', 'Gateway');
export const telemetry = specBuilder('telemetry.istio.io/v1', 'Telemetry');

/** An istiod-managed waypoint (Gateway API, class istio-waypoint, HBONE on 15008) named `waypoint`. */
export function waypoint(ns: string): KubeObject {
  return k8sGateway(ns, 'waypoint', { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
}

/** A Gateway API gateway of class istio with one HTTP listener on port 80. */
export function k8sHttpGateway(ns: string, name: string): KubeObject {
  return k8sGateway(ns, name, { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] });
}

/** `jwtRules` of a RequestAuthentication trusting https://issuer.example.com. */
export const JWT_RULES = [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }];
