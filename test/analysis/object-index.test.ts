import { INGRESS, load, SHOP, gateway } from './support';
import { DEFAULT_SETTINGS } from '../../src/analysis/model';
import { hostCoveredBy, hostsOverlap, ObjectIndex } from '../../src/analysis/object-index';

function index(yaml: string): ObjectIndex {
  return new ObjectIndex(load(yaml), DEFAULT_SETTINGS);
}

describe('ObjectIndex', () => {
  test('indexes owned namespaces, Services by FQDN with ports and selector, workloads with service accounts', () => {
    const idx = index(SHOP);
    expect([...idx.ownedNamespaces]).toEqual(['shop']);
    const ratings = idx.servicesByFqdn.get('ratings.shop.svc.cluster.local')!;
    expect(ratings.ports.map((p) => `${p.number}/${p.name}`)).toEqual(['9080/http', '9090/grpc']);
    expect(ratings.selector).toEqual({ app: 'ratings' });
    expect(idx.workloadsSelectedBy('shop', { app: 'reviews' }).map((w) => w.name)).toEqual(['reviews-v1', 'reviews-v2']);
    expect(idx.workloads[0].serviceAccountName).toBe('default');
    expect([...idx.namespacesWithWorkloads]).toEqual(['shop']);
  });

  test('reads pod templates of every workload kind', () => {
    const pod = (kind: string, apiVersion: string, spec: any) => ({ apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: 'jobs' }, spec });
    const tpl = { metadata: { labels: { app: 'x' } }, spec: { serviceAccountName: 'runner', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } };
    const idx = new ObjectIndex([
      pod('Deployment', 'apps/v1', { template: tpl }),
      pod('StatefulSet', 'apps/v1', { template: tpl }),
      pod('DaemonSet', 'apps/v1', { template: tpl }),
      pod('ReplicaSet', 'apps/v1', { template: tpl }),
      pod('Job', 'batch/v1', { template: tpl }),
      pod('CronJob', 'batch/v1', { schedule: '* * * * *', jobTemplate: { spec: { template: tpl } } }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'jobs', labels: { app: 'x' } }, spec: tpl.spec },
    ], DEFAULT_SETTINGS);
    expect(idx.workloads.map((w) => `${w.kind}:${w.labels.app}:${w.serviceAccountName}:${w.containers[0].ports[0].containerPort}`)).toEqual([
      'Deployment:x:runner:80', 'StatefulSet:x:runner:80', 'DaemonSet:x:runner:80', 'ReplicaSet:x:runner:80',
      'Job:x:runner:80', 'CronJob:x:runner:80', 'Pod:x:runner:80',
    ]);
  });

  test('marks gateway workloads: selected by a Gateway, or injected with the gateway template', () => {
    const idx = index(`${INGRESS}${gateway('public', 'istio-ingress', ['*/a.example.com'])}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: egress, namespace: istio-egress }
spec:
  template:
    metadata:
      labels: { istio: egressgateway }
      annotations: { inject.istio.io/templates: gateway }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
${SHOP}`);
    expect(idx.gatewayWorkloads.map((w) => `${w.namespace}/${w.name}`).sort()).toEqual(['istio-egress/egress', 'istio-ingress/ingressgateway']);
  });

  test('expands short hosts against the namespace, keeps FQDNs and wildcards', () => {
    const idx = index(SHOP);
    expect(idx.expandHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(idx.expandHost('Reviews.Shop', 'x')).toBe('reviews.shop');
    expect(idx.expandHost('*', 'shop')).toBe('*');
    expect(idx.parseServiceHost('reviews.shop.svc.cluster.local')).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(idx.parseServiceHost('web-0.web.shop.svc.cluster.local')).toBeUndefined();
    expect(new ObjectIndex([], { ...DEFAULT_SETTINGS, clusterDomain: 'corp.internal' }).expandHost('a', 'b')).toBe('a.b.svc.corp.internal');
  });

  test('object references and namespaces', () => {
    expect(ObjectIndex.objectRef({ kind: 'Namespace', metadata: { name: 'shop' } })).toBe('Namespace//shop');
    expect(ObjectIndex.objectRef({ kind: 'ClusterRole', metadata: { name: 'r' } })).toBe('ClusterRole//r');
    expect(ObjectIndex.objectRef({ kind: 'Service', metadata: { name: 's' } })).toBe('Service/default/s');
    expect(ObjectIndex.objectRef({ kind: 'Service', metadata: { name: 's', namespace: 'a' } })).toBe('Service/a/s');
  });

  test('exportTo scopes: default *, ".", "~", namespaces; Service annotation', () => {
    const idx = index(SHOP);
    const vs = (exportTo?: string[]) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v', namespace: 'shop' }, spec: { exportTo } });
    expect(idx.exportScope(vs()).all).toBe(true);
    expect(idx.exportScope(vs(['*'])).all).toBe(true);
    expect([...idx.exportScope(vs(['.', 'frontend'])).namespaces]).toEqual(['shop', 'frontend']);
    expect(idx.exportScope(vs(['~']))).toEqual({ all: false, namespaces: new Set() });
    expect(idx.isVisibleTo(vs(['.']), 'shop')).toBe(true);
    expect(idx.isVisibleTo(vs(['.']), 'frontend')).toBe(false);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop', annotations: { 'networking.istio.io/exportTo': '., frontend' } } };
    expect([...idx.exportScope(svc).namespaces]).toEqual(['shop', 'frontend']);
  });

  test('host coverage and overlap with wildcards', () => {
    expect(hostCoveredBy('a.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('example.com', '*.example.com')).toBe(false);
    expect(hostCoveredBy('*.a.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('anything', '*')).toBe(true);
    expect(hostsOverlap('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('a.example.com', 'b.example.com')).toBe(false);
  });
});
