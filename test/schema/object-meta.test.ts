import { crdValidator } from '../helpers';

function problemsOf(manifest: { [key: string]: any }): string[] {
  return crdValidator().validateObject(manifest).map((p) => `${p.path}: ${p.message}`);
}

function core(apiVersion: string, kind: string, metadata: any): { [key: string]: any } {
  return { apiVersion, kind, metadata };
}

describe('metadata of objects the CRDs do not cover', () => {
  test('valid names of built-in kinds pass', () => {
    expect(problemsOf(core('apps/v1', 'Deployment', { name: 'reviews.v1', namespace: 'shop' }))).toEqual([]);
    expect(problemsOf(core('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'system:aggregate-to-edit' }))).toEqual([]);
    expect(problemsOf(core('v1', 'Service', { name: 'reviews', namespace: 'shop' }))).toEqual([]);
    expect(problemsOf(core('v1', 'ConfigMap', { generateName: 'settings-', namespace: 'shop' }))).toEqual([]);
    expect(problemsOf(core('argoproj.io/v1alpha1', 'Application', { name: 'shop', namespace: 'argocd' }))).toEqual([]);
  });

  test('fails when a Service name is not a DNS-1035 label', () => {
    expect(problemsOf(core('v1', 'Service', { name: '1-reviews', namespace: 'shop' }))).toEqual([
      expect.stringMatching(/^metadata\.name: invalid value "1-reviews": a DNS-1035 label \(required for Service names\)/),
    ]);
    expect(problemsOf(core('v1', 'Service', { name: 'reviews.v1', namespace: 'shop' }))).toHaveLength(1);
  });

  test('fails when a Namespace has a dotted name or a namespace of its own', () => {
    expect(problemsOf(core('v1', 'Namespace', { name: 'shop.prod', namespace: 'default' }))).toEqual([
      expect.stringMatching(/^metadata\.name: invalid value "shop\.prod": a lowercase RFC 1123 label/),
      'metadata.namespace: namespace "default" is set on a cluster-scoped kind (the API server would drop it)',
    ]);
  });

  test('fails when an RBAC name contains a slash', () => {
    expect(problemsOf(core('rbac.authorization.k8s.io/v1', 'Role', { name: 'a/b', namespace: 'x' }))).toEqual([
      'metadata.name: invalid value "a/b": may not contain \'/\' or \'%\'',
    ]);
  });

  test('fails on bad label keys, finalizers, owner references and a metadata that is not an object', () => {
    expect(problemsOf(core('v1', 'ConfigMap', { name: 'c', namespace: 'n', labels: { 'Bad_Prefix/x': 'y', 'ok': 1 } }))).toEqual([
      expect.stringMatching(/^metadata\.labels\[Bad_Prefix\/x\]: invalid label key "Bad_Prefix\/x": prefix part a lowercase RFC 1123 subdomain/),
      'metadata.labels.ok: label value must be of type string (got number)',
    ]);
    expect(problemsOf(core('v1', 'ConfigMap', { name: 'c', namespace: 'n', finalizers: ['example.com/a', 'no way'] }))).toEqual([
      expect.stringMatching(/^metadata\.finalizers\[1\]: invalid finalizer "no way"/),
    ]);
    expect(problemsOf(core('v1', 'ConfigMap', { name: 'c', namespace: 'n', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x' }] }))).toEqual([
      'metadata.ownerReferences[0].uid: uid is required and must be a non-empty string',
    ]);
    expect(problemsOf(core('v1', 'ConfigMap', 'c'))).toEqual(['metadata: must be of type object (got string)']);
  });

  test('fails when annotations exceed 256 KiB in total', () => {
    const big = 'x'.repeat(200 * 1024);
    expect(problemsOf(core('v1', 'ConfigMap', { name: 'c', namespace: 'n', annotations: { a: big, b: big } }))).toEqual([
      `metadata.annotations: annotations may not have more than 262144 bytes in total (got ${2 * big.length + 2})`,
    ]);
  });
});
