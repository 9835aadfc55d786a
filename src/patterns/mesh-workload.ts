import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Mesh } from '../mesh/mesh';
import { fail, show } from '../private/errors';
import { childName } from '../private/names';
import { checkInteger, isLabelValue } from '../private/validate';
import { MeshPort } from '../values/mesh-port';

/** Resource requests and limits of the Envoy sidecar (Kubernetes quantities). */
export interface ProxyResources {
  /**
   * CPU request (`sidecar.istio.io/proxyCPU`).
   *
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * Memory request (`sidecar.istio.io/proxyMemory`).
   *
   * @default '128Mi'
   */
  readonly memoryRequest?: string;
  /**
   * CPU limit (`sidecar.istio.io/proxyCPULimit`).
   *
   * @default '1000m'
   */
  readonly cpuLimit?: string;
  /**
   * Memory limit (`sidecar.istio.io/proxyMemoryLimit`).
   *
   * @default '512Mi'
   */
  readonly memoryLimit?: string;
}


/** How a workload this app creates is run (shared by MeshService and each CanaryService version). */
export interface MeshWorkloadOptions {
  /** The container image. */
  readonly image: string;

  /**
   * The version label of the workload (`version=<version>`), used by DestinationRule subsets.
   *
   * @default 'v1'
   */
  readonly version?: string;

  /**
   * Number of replicas.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Resource requests and limits of the application container.
   *
   * @default - cdk8s-plus defaults (cpu 1000m/1500m, memory 512Mi/2048Mi)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Resources of the Envoy sidecar, as pod annotations.
   *
   * @default - requests 100m / 128Mi, limits 1000m / 512Mi
   */
  readonly proxyResources?: ProxyResources;

  /**
   * Start the application only once its sidecar is ready (`proxy.istio.io/config`).
   *
   * @default true
   */
  readonly holdApplicationUntilProxyStarts?: boolean;

  /**
   * HTTP path of the readiness and liveness probes (on the first HTTP port). Istio rewrites HTTP probes
   * so that they work under STRICT mTLS; non-HTTP services get TCP probes.
   *
   * @default - TCP probes on the first port's target port
   */
  readonly healthCheckPath?: string;

  /**
   * User id the application runs as. 1337 is the Envoy proxy's uid and is refused.
   *
   * @default - the image's user (with runAsNonRoot enforced)
   */
  readonly runAsUser?: number;

}

/** Pod annotation keys the library writes on workloads it creates. */
export class MeshWorkloadAnnotations {
  /** The proxy CPU request. */
  public static readonly PROXY_CPU = 'sidecar.istio.io/proxyCPU';
  /** The proxy memory request. */
  public static readonly PROXY_MEMORY = 'sidecar.istio.io/proxyMemory';
  /** The proxy CPU limit. */
  public static readonly PROXY_CPU_LIMIT = 'sidecar.istio.io/proxyCPULimit';
  /** The proxy memory limit. */
  public static readonly PROXY_MEMORY_LIMIT = 'sidecar.istio.io/proxyMemoryLimit';
  /** Per-workload proxy config. */
  public static readonly PROXY_CONFIG = 'proxy.istio.io/config';
  /** Rewrite HTTP probes so they work under STRICT mTLS. */
  public static readonly REWRITE_PROBES = 'sidecar.istio.io/rewriteAppHTTPProbers';

  private constructor() {}
}

/** What `createServiceAccount`/`createWorkload`/`createService` need to know about the service. */
interface ServiceShape {
  readonly serviceName: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly ports: MeshPort[];
}

/** The one ServiceAccount of a service (token automount off). */
export function createServiceAccount(scope: Construct, svc: ServiceShape): kplus.ServiceAccount {
  return new kplus.ServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: svc.serviceAccountName, namespace: svc.namespace, labels: { [Mesh.APP_LABEL]: svc.serviceName } },
    automountToken: false,
  });
}

/** The Service selecting `app=<name>`, its ports named and `appProtocol`-tagged for Istio protocol selection. */
export function createService(scope: Construct, svc: ServiceShape): kplus.Service {
  const service = new kplus.Service(scope, 'Service', {
    metadata: { name: svc.serviceName, namespace: svc.namespace, labels: { [Mesh.APP_LABEL]: svc.serviceName } },
    ports: svc.ports.map(p => ({ port: p.number, targetPort: p.targetPort, name: p.name, protocol: kplus.Protocol.TCP })),
  });
  service.selectLabel(Mesh.APP_LABEL, svc.serviceName);
  svc.ports.forEach((p, i) => ApiObject.of(service).addJsonPatch(JsonPatch.add(`/spec/ports/${i}/appProtocol`, p.appProtocol)));
  return service;
}

/**
 * A Deployment of one version of a service: labels `app` + `version`, sidecar resources and proxy config
 * annotations, probes Istio rewrites for STRICT mTLS, no uid 1337. `prop` prefixes error messages
 * (e.g. `canary.` for a CanaryService version).
 */
export function createWorkload(scope: Construct, id: string, svc: ServiceShape, account: kplus.ServiceAccount, options: MeshWorkloadOptions, prop = ''): kplus.Deployment {
  const version = options.version ?? 'v1';
  if (!isLabelValue(version) || version.length === 0) fail(scope, `${prop}version must be a non-empty label value (e.g. 'v1'), got ${show(version)}`);
  if (typeof options.image !== 'string' || options.image.trim().length === 0) {
    fail(scope, `${prop}image is required to create the workload (or use MeshService.fromExisting for workloads deployed elsewhere), got ${show(options.image)}`);
  }
  const replicas = checkInteger(scope, `${prop}replicas`, options.replicas ?? 2, 0, 10000);
  if (options.runAsUser !== undefined) {
    checkInteger(scope, `${prop}runAsUser`, options.runAsUser, 0, 2147483647);
    if (options.runAsUser === 1337) fail(scope, `${prop}runAsUser must not be 1337: that uid belongs to the Envoy sidecar and its traffic bypasses the mesh (IST0144)`);
  }
  const proxy = options.proxyResources ?? {};
  const quantities: Array<[string, string, string]> = [
    ['proxyResources.cpuRequest', MeshWorkloadAnnotations.PROXY_CPU, proxy.cpuRequest ?? '100m'],
    ['proxyResources.memoryRequest', MeshWorkloadAnnotations.PROXY_MEMORY, proxy.memoryRequest ?? '128Mi'],
    ['proxyResources.cpuLimit', MeshWorkloadAnnotations.PROXY_CPU_LIMIT, proxy.cpuLimit ?? '1000m'],
    ['proxyResources.memoryLimit', MeshWorkloadAnnotations.PROXY_MEMORY_LIMIT, proxy.memoryLimit ?? '512Mi'],
  ];
  const annotations: { [k: string]: string } = {};
  for (const [p, key, value] of quantities) {
    if (typeof value !== 'string' || !/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(value)) {
      fail(scope, `${prop}${p} must be a Kubernetes quantity such as '100m' or '128Mi', got ${show(value)}`);
    }
    annotations[key] = value;
  }
  if (options.holdApplicationUntilProxyStarts ?? true) {
    annotations[MeshWorkloadAnnotations.PROXY_CONFIG] = '{"holdApplicationUntilProxyStarts":true}';
  }
  annotations[MeshWorkloadAnnotations.REWRITE_PROBES] = 'true';
  const env = options.env ?? {};
  for (const k of Object.keys(env)) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) fail(scope, `${prop}env has an invalid variable name ${show(k)} (letters, digits, '_', '-', '.'; not starting with a digit)`);
    if (typeof env[k] !== 'string') fail(scope, `${prop}env.${k} must be a string, got ${show(env[k])}`);
  }
  const ports = svc.ports;
  const probePath = options.healthCheckPath;
  const httpPort = ports.find(p => p.isHttp);
  if (probePath !== undefined) {
    if (typeof probePath !== 'string' || !probePath.startsWith('/')) fail(scope, `${prop}healthCheckPath must be a path starting with '/', got ${show(probePath)}`);
    if (!httpPort) fail(scope, `${prop}healthCheckPath needs an HTTP port, but the ports are ${ports.map(p => p.protocol).join(', ')}`);
  }
  const probe = probePath !== undefined
    ? kplus.Probe.fromHttpGet(probePath, { port: httpPort!.targetPort })
    : kplus.Probe.fromTcpSocket({ port: ports[0].targetPort });

  const labels = { [Mesh.APP_LABEL]: svc.serviceName, [Mesh.VERSION_LABEL]: version };
  const securityContext = options.runAsUser !== undefined ? { user: options.runAsUser } : undefined;
  const deployment = new kplus.Deployment(scope, id, {
    metadata: { name: childName(svc.serviceName, version), namespace: svc.namespace, labels },
    replicas,
    select: false,
    serviceAccount: account,
    automountServiceAccountToken: false,
    podMetadata: { labels, annotations },
    securityContext,
    containers: [{
      name: svc.serviceName,
      image: options.image,
      ports: ports.map(p => ({ number: p.targetPort })),
      envVariables: Object.fromEntries(Object.keys(env).sort().map(k => [k, kplus.EnvValue.fromValue(env[k])])),
      resources: options.resources,
      readiness: probe,
      liveness: probe,
      securityContext,
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  // cdk8s-plus tags pod templates with a construct-address label even without `select`; pod labels are
  // what subsets, selectors and policies match, so keep them exactly `app` + `version`.
  ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  return deployment;
}
