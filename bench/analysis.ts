// Analysis benchmark: MeshAnalyzer.analyze over 10,000 realistic objects (no assertions; numbers are printed).
import { MeshAnalyzer } from '../src/analysis';

export interface BenchResult {
  readonly name: string;
  readonly objects: number;
  readonly runs: number;
  /** Mean wall-clock time per run. */
  readonly msPerRun: number;
  /** Fastest wall-clock run. */
  readonly minMs: number;
  /** Mean CPU time (user + system) per run: stable on a loaded machine. */
  readonly cpuMsPerRun: number;
  readonly findings: number;
}

/**
 * A mesh of `namespaces` × `servicesPerNamespace` services. Each namespace: Namespace, STRICT PeerAuthentication,
 * allow-nothing AuthorizationPolicy, Sidecar. Each service: Service, ServiceAccount, two Deployments (v1/v2),
 * DestinationRule with subsets, VirtualService with a 90/10 split and an ALLOW AuthorizationPolicy. Plus an ingress
 * gateway, one Gateway and one gateway VirtualService per namespace, and a ServiceEntry per namespace.
 */
export function buildMesh(namespaces: number, servicesPerNamespace: number): any[] {
  const out: any[] = [];
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress' } });
  out.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingressgateway', namespace: 'istio-ingress' },
    spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { istio: 'ingressgateway' }, annotations: { 'inject.istio.io/templates': 'gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
  });
  out.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingressgateway', namespace: 'istio-ingress' },
    spec: { type: 'LoadBalancer', selector: { istio: 'ingressgateway' }, ports: [{ name: 'https', port: 443, targetPort: 8443 }] },
  });
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio.io/rev': 'prod-stable' } } });
    out.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: ns }, spec: { mtls: { mode: 'STRICT' } } });
    out.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: ns }, spec: {} });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: ns },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'payments-api', namespace: ns },
      spec: { hosts: [`api-${n}.payments.example.com`], exportTo: ['.'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] },
    });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: `public-${n}`, namespace: 'istio-ingress' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: `https-${n}`, protocol: 'HTTPS' }, hosts: [`${ns}/${ns}.example.com`], tls: { mode: 'SIMPLE', credentialName: `${ns}-cert` } }] },
    });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'ingress', namespace: ns },
      spec: { hosts: [`${ns}.example.com`], gateways: [`istio-ingress/public-${n}`], http: [{ route: [{ destination: { host: `svc-0.${ns}.svc.cluster.local`, subset: 'v1', port: { number: 8080 } } }] }] },
    });
    for (let s = 0; s < servicesPerNamespace; s++) {
      const name = `svc-${s}`;
      const host = `${name}.${ns}.svc.cluster.local`;
      out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
      out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 8080, appProtocol: 'http' }] } });
      for (const version of ['v1', 'v2']) {
        out.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `${name}-${version}`, namespace: ns },
          spec: {
            selector: { matchLabels: { app: name, version } },
            template: {
              metadata: { labels: { app: name, version } },
              spec: { serviceAccountName: name, containers: [{ name: 'app', image: `example/${name}:1.0.0`, ports: [{ containerPort: 8080, name: 'http' }] }] },
            },
          },
        });
      }
      out.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name, namespace: ns },
        spec: { host, exportTo: ['.'], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
      });
      out.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name, namespace: ns },
        spec: {
          hosts: [host],
          exportTo: ['.'],
          http: [{
            timeout: '15s',
            retries: { attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream' },
            route: [{ destination: { host, subset: 'v1', port: { number: 8080 } }, weight: 90 }, { destination: { host, subset: 'v2', port: { number: 8080 } }, weight: 10 }],
          }],
        },
      });
      out.push({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name, namespace: ns },
        spec: { selector: { matchLabels: { app: name } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/svc-${(s + 1) % servicesPerNamespace}`] } }] }] },
      });
    }
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, value };
}

/** Runs MeshAnalyzer.analyze on about `target` objects, `runs` times after a warm-up. */
export function analysisBench(target = 10_000, runs = 10): BenchResult {
  const perNamespace = 10;
  const objectsPerNamespace = 7 + perNamespace * 7;
  const objects = buildMesh(Math.ceil(target / objectsPerNamespace), perNamespace);
  const warm = time(() => MeshAnalyzer.analyze(objects));
  const samples: Array<{ ms: number; cpuMs: number }> = [];
  for (let i = 0; i < runs; i++) samples.push(time(() => MeshAnalyzer.analyze(objects)));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    name: 'MeshAnalyzer.analyze',
    objects: objects.length,
    runs,
    msPerRun: mean(samples.map((x) => x.ms)),
    minMs: Math.min(...samples.map((x) => x.ms)),
    cpuMsPerRun: mean(samples.map((x) => x.cpuMs)),
    findings: warm.value.length,
  };
}

/** Shows whether analysis time grows linearly: CPU µs per object at 2,500, 10,000 and 40,000 objects. */
export function scalingBench(): Array<{ objects: number; cpuMsPerRun: number; usPerObject: number }> {
  return [2_500, 10_000, 40_000].map((n) => {
    const r = analysisBench(n, 3);
    return { objects: r.objects, cpuMsPerRun: r.cpuMsPerRun, usPerObject: (r.cpuMsPerRun * 1000) / r.objects };
  });
}
