import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import {
  ImageVariant, Mesh, MeshProps, OutboundTrafficPolicy, PathNormalization, RevisionedControlPlane, RevisionedControlPlaneProps,
  ZeroTrustNamespace,
} from '../../src';
import { claim } from '../../src/private/ownership';
import { findObject, findObjects, synthExample, synthValid } from '../helpers';

const STANDARD: RevisionedControlPlaneProps = {
  revisions: [{ name: '1-29-2', version: '1.29.2' }, { name: '1-30-3', version: '1.30.3' }],
  tags: { 'prod-stable': '1-29-2', 'prod-canary': '1-30-3' },
};

function setup(props: RevisionedControlPlaneProps = STANDARD, meshProps: MeshProps = {}) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new Mesh(platform, 'Mesh', meshProps);
  const cp = new RevisionedControlPlane(platform, 'ControlPlane', props);
  return { app, platform, cp };
}

/** The error a function throws (fails the test if it does not throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

function expectConfigError(fn: () => unknown, ...fragments: string[]): void {
  const err = errorOf(fn);
  expect(err.name).toBe('IstioConfigError');
  for (const f of fragments) expect(err.message).toContain(f);
}

function expectSynthError(app: App, ...fragments: string[]): void {
  const err = errorOf(() => app.synthYaml());
  expect(err.message).toContain('Validation failed');
  for (const f of fragments) expect(err.message).toContain(f);
}

function istio(out: any[], name: string): any {
  return findObject(out, 'Istio', name);
}

describe('RevisionedControlPlane: Sail resources', () => {
  test('renders one RevisionBased Istio per revision in the mesh root namespace', () => {
    // GIVEN / WHEN
    const { app } = setup();
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'Istio').map(o => o.metadata.name)).toEqual(['1-29-2', '1-30-3']);
    const old = istio(out, '1-29-2');
    expect(old.apiVersion).toBe('sailoperator.io/v1');
    expect(old.metadata.namespace).toBeUndefined(); // cluster-scoped
    expect(old.spec.version).toBe('v1.29.2');
    expect(old.spec.namespace).toBe('istio-system');
    expect(old.spec.updateStrategy).toEqual({ type: 'RevisionBased' });
    expect(istio(out, '1-30-3').spec.version).toBe('v1.30.3');
  });

  test('renders one IstioRevisionTag per tag, targeting the revision\'s Istio', () => {
    // GIVEN / WHEN
    const { app } = setup();
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'IstioRevisionTag', 'prod-stable').spec).toEqual({ targetRef: { kind: 'Istio', name: '1-29-2' } });
    expect(findObject(out, 'IstioRevisionTag', 'prod-canary').spec).toEqual({ targetRef: { kind: 'Istio', name: '1-30-3' } });
    expect(findObjects(out, 'IstioRevisionTag')).toHaveLength(2);
  });

  test('a tag named default is allowed', () => {
    // GIVEN / WHEN
    const { app } = setup({ revisions: [{ name: '1-30-3', version: '1.30.3' }], tags: { default: '1-30-3' } });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'IstioRevisionTag', 'default').spec.targetRef.name).toBe('1-30-3');
  });

  test('applies the best-practice mesh configuration by default', () => {
    // GIVEN / WHEN
    const { app } = setup();
    // THEN
    const values = istio(synthValid(app), '1-30-3').spec.values;
    expect(values.meshConfig).toEqual({
      rootNamespace: 'istio-system',
      trustDomain: 'cluster.local',
      discoverySelectors: [
        { matchLabels: { 'istio-discovery': 'enabled' } },
        { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
      ],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      defaultConfig: { holdApplicationUntilProxyStarts: true },
      enablePrometheusMerge: false,
      accessLogFile: '/dev/stdout',
      pathNormalization: { normalization: 'MERGE_SLASHES' },
    });
    expect(values.global.variant).toBe('distroless');
    expect(values.global.istioNamespace).toBe('istio-system');
    expect(values.global.proxy.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(values.global.defaultPodDisruptionBudget).toEqual({ enabled: true });
    expect(values.pilot).toMatchObject({ replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5, cni: { enabled: true } });
    expect(values.pilot.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['kubernetes.io/hostname', 'ScheduleAnyway'], ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
    ]);
  });

  test('takes the root namespace, trust domain and cluster domain from the Mesh', () => {
    // GIVEN / WHEN
    const { app, cp } = setup(STANDARD, { rootNamespace: 'mesh-root', trustDomain: 'prod.example.com', clusterDomain: 'k8s.example' });
    // THEN
    const out = synthValid(app);
    const spec = istio(out, '1-29-2').spec;
    expect(cp.rootNamespace).toBe('mesh-root');
    expect(spec.namespace).toBe('mesh-root');
    expect(spec.values.global.istioNamespace).toBe('mesh-root');
    expect(spec.values.meshConfig.rootNamespace).toBe('mesh-root');
    expect(spec.values.meshConfig.trustDomain).toBe('prod.example.com');
    expect(spec.values.meshConfig.discoverySelectors[1]).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'mesh-root' } });
    expect(spec.values.global.proxy.clusterDomain).toBe('k8s.example');
    expect(findObjects(out, 'Namespace').map(n => n.metadata.name)).toContain('mesh-root');
  });

  test('every mesh setting can be overridden explicitly', () => {
    // GIVEN / WHEN
    const { app, cp } = setup({
      ...STANDARD,
      outboundTrafficPolicy: OutboundTrafficPolicy.ALLOW_ANY,
      holdApplicationUntilProxyStarts: false,
      prometheusMerge: true,
      accessLogFile: '/var/log/envoy.log',
      pathNormalization: PathNormalization.DECODE_AND_MERGE_SLASHES,
      imageVariant: ImageVariant.DEBUG,
      proxyResources: { cpuRequest: '50m', memoryLimit: '256Mi' },
      istiodReplicas: 3,
      istiodMaxReplicas: 3,
      podDisruptionBudget: false,
    });
    // THEN
    const values = istio(synthValid(app), '1-29-2').spec.values;
    expect(values.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    expect(values.meshConfig.defaultConfig).toEqual({ holdApplicationUntilProxyStarts: false });
    expect(values.meshConfig.enablePrometheusMerge).toBe(true);
    expect(values.meshConfig.accessLogFile).toBe('/var/log/envoy.log');
    expect(values.meshConfig.pathNormalization).toEqual({ normalization: 'DECODE_AND_MERGE_SLASHES' });
    expect(values.global.variant).toBe('debug');
    expect(values.global.proxy.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '256Mi' } });
    expect(values.pilot).toMatchObject({ replicaCount: 3, autoscaleMin: 3, autoscaleMax: 3, autoscaleEnabled: false });
    expect(values.global.defaultPodDisruptionBudget).toEqual({ enabled: false });
    expect(cp.proxyResources).toEqual({ cpuRequest: '50m', memoryRequest: '128Mi', cpuLimit: '1000m', memoryLimit: '256Mi' });
  });

  test('an empty accessLogFile turns access logging off', () => {
    // GIVEN / WHEN
    const { app } = setup({ ...STANDARD, accessLogFile: '' });
    // THEN
    expect(istio(synthValid(app), '1-29-2').spec.values.meshConfig.accessLogFile).toBeUndefined();
  });

  test('discoverySelectors: false lets istiod watch every namespace and bind() omits the discovery label', () => {
    // GIVEN
    const { app, cp } = setup({ ...STANDARD, discoverySelectors: false });
    // WHEN
    cp.bind('shop', 'prod-stable');
    // THEN
    const out = synthValid(app);
    expect(istio(out, '1-29-2').spec.values.meshConfig.discoverySelectors).toBeUndefined();
    expect(findObject(out, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable' });
  });

  test('istiodMaxReplicas raises the autoscaler bound', () => {
    // GIVEN / WHEN
    const { app } = setup({ ...STANDARD, istiodReplicas: 2, istiodMaxReplicas: 8 });
    // THEN
    expect(istio(synthValid(app), '1-29-2').spec.values.pilot).toMatchObject({ autoscaleMin: 2, autoscaleMax: 8, autoscaleEnabled: true });
  });

  test('renders the root and CNI Namespaces, and none with createNamespaces: false', () => {
    // GIVEN / WHEN
    const withNs = setup();
    const withoutNs = setup({ ...STANDARD, createNamespaces: false });
    // THEN
    const a = synthValid(withNs.app);
    expect(findObject(a, 'Namespace', 'istio-system').metadata.labels).toBeUndefined();
    expect(findObject(a, 'Namespace', 'istio-cni')).toBeDefined();
    expect(withNs.cp.rootNamespaceObject).toBeDefined();
    expect(findObjects(synthValid(withoutNs.app), 'Namespace')).toEqual([]);
    expect(withoutNs.cp.rootNamespaceObject).toBeUndefined();
  });

  test('the primary objects are reachable for JSON patches', () => {
    // GIVEN
    const { app, cp } = setup();
    // WHEN
    cp.revisionObject('1-30-3').addJsonPatch(JsonPatch.add('/spec/updateStrategy/inactiveRevisionDeletionGracePeriodSeconds', 60));
    cp.tagObject('prod-stable').metadata.addAnnotation('example.com/owner', 'platform');
    // THEN
    const out = synthValid(app);
    expect(istio(out, '1-30-3').spec.updateStrategy).toEqual({ type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 60 });
    expect(findObject(out, 'IstioRevisionTag', 'prod-stable').metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
  });

  test('synthesizes byte-identical YAML twice', () => {
    // GIVEN
    const first = setup();
    first.cp.bind('shop', 'prod-stable');
    const second = setup();
    second.cp.bind('shop', 'prod-stable');
    // WHEN / THEN
    expect(first.app.synthYaml()).toEqual(second.app.synthYaml());
  });
});

describe('RevisionedControlPlane: CNI', () => {
  test('renders IstioCNI "default" at the oldest revision compatible with every revision', () => {
    // GIVEN / WHEN
    const { app, cp } = setup();
    // THEN
    const out = synthValid(app);
    const cni = findObject(out, 'IstioCNI', 'default');
    expect(cni.spec).toEqual({ namespace: 'istio-cni', version: 'v1.29.2', values: { global: { variant: 'distroless' } } });
    expect(cp.cniObject).toBeDefined();
  });

  test('picks a middle release when the oldest is two minors from the newest', () => {
    // GIVEN / WHEN
    const { app } = setup({
      revisions: [{ name: '1-28-0', version: '1.28.0' }, { name: '1-29-2', version: '1.29.2' }, { name: '1-30-3', version: '1.30.3' }],
    });
    // THEN
    expect(findObject(synthValid(app), 'IstioCNI', 'default').spec.version).toBe('v1.29.2');
  });

  test('cniVersion and cniNamespace override the defaults', () => {
    // GIVEN / WHEN
    const { app } = setup({ ...STANDARD, cniVersion: '1.30.2', cniNamespace: 'kube-cni' });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'IstioCNI', 'default').spec).toMatchObject({ namespace: 'kube-cni', version: 'v1.30.2' });
    expect(findObject(out, 'Namespace', 'kube-cni')).toBeDefined();
  });

  test('cni: false renders no IstioCNI and leaves pilot.cni unset', () => {
    // GIVEN / WHEN
    const { app, cp } = setup({ ...STANDARD, cni: false });
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'IstioCNI')).toEqual([]);
    expect(findObjects(out, 'Namespace').map(n => n.metadata.name)).toEqual(['istio-system']);
    expect(istio(out, '1-29-2').spec.values.pilot.cni).toBeUndefined();
    expect(cp.cniObject).toBeUndefined();
  });
});

describe('RevisionedControlPlane: namespaces', () => {
  test('bind() renders a Namespace with exactly the tag and discovery labels', () => {
    // GIVEN
    const { app, cp } = setup();
    // WHEN
    const ns = cp.bind('shop', 'prod-stable');
    // THEN
    expect(ns).toBeInstanceOf(kplus.Namespace);
    const out = synthValid(app);
    expect(findObject(out, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled' });
    expect(cp.namespaceTag('shop')).toBe('prod-stable');
    expect(cp.namespaces).toEqual(['shop']);
  });

  test('moveNamespace() relabels a bound namespace', () => {
    // GIVEN
    const { app, cp } = setup();
    cp.bind('shop', 'prod-stable');
    // WHEN
    cp.moveNamespace('shop', 'prod-canary');
    // THEN
    expect(findObject(synthValid(app), 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-canary', 'istio-discovery': 'enabled' });
  });

  test('registerNamespace() records a namespace bound elsewhere without rendering it', () => {
    // GIVEN
    const { app, cp } = setup();
    // WHEN
    cp.registerNamespace('payments', 'prod-canary', 'platform/Payments');
    cp.registerNamespace('payments', 'prod-stable', 'platform/Payments'); // the owner moves it
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'Namespace').map(n => n.metadata.name)).not.toContain('payments');
    expect(cp.namespaceTag('payments')).toBe('prod-stable');
  });

  test('tryOf(), hasTag(), tags, tagTarget(), hasRevision(), revisions and oldestVersion describe the declaration', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new Mesh(chart, 'Mesh');
    // WHEN
    const before = RevisionedControlPlane.tryOf(chart);
    const cp = new RevisionedControlPlane(chart, 'ControlPlane', STANDARD);
    const other = new Chart(app, 'apps');
    // THEN
    expect(before).toBeUndefined();
    expect(RevisionedControlPlane.tryOf(other)).toBe(cp);
    expect(cp.hasTag('prod-stable')).toBe(true);
    expect(cp.hasTag('1-29-2')).toBe(false);
    expect(cp.tags).toEqual(['prod-canary', 'prod-stable']);
    expect(cp.tagTarget('prod-canary')).toBe('1-30-3');
    expect(cp.tagTarget('nope')).toBeUndefined();
    expect(cp.hasRevision('1-29-2')).toBe(true);
    expect(cp.revisions).toEqual([{ name: '1-29-2', version: '1.29.2' }, { name: '1-30-3', version: '1.30.3' }]);
    expect(cp.oldestVersion).toBe('1.29.2');
  });
});

describe('RevisionedControlPlane with ZeroTrustNamespace', () => {
  test('a ZeroTrustNamespace on a declared tag is registered and rendered with exactly its tag label', () => {
    // GIVEN
    const { app, platform, cp } = setup();
    // WHEN
    new ZeroTrustNamespace(platform, 'Shop', { name: 'shop', revisionTag: 'prod-canary' });
    // THEN
    const out = synthValid(app);
    const labels = findObject(out, 'Namespace', 'shop').metadata.labels;
    expect(labels['istio.io/rev']).toBe('prod-canary');
    expect(labels['istio-discovery']).toBe('enabled');
    expect(Object.keys(labels).filter(k => k === 'istio-injection' || k === 'istio.io/dataplane-mode')).toEqual([]);
    expect(cp.namespaceTag('shop')).toBe('prod-canary');
    expectConfigError(() => cp.removeTag('prod-canary'), 'tag "prod-canary" is still used by namespace shop');
    expectConfigError(() => cp.moveNamespace('shop', 'prod-stable'), 'namespace "shop" is bound by platform/Shop; change the tag there');
  });

  test('fails when bind() and a ZeroTrustNamespace declare the same namespace', () => {
    const { platform, cp } = setup();
    new ZeroTrustNamespace(platform, 'Shop', { name: 'shop', revisionTag: 'prod-stable' });
    expectConfigError(() => cp.bind('shop', 'prod-stable'), 'bind("shop", "prod-stable"): namespace "shop" is already bound to tag "prod-stable" by platform/Shop');
  });

  test('fails at synth when a ZeroTrustNamespace declared before the control plane uses an undeclared tag', () => {
    const app = Testing.app();
    const apps = new Chart(app, 'apps');
    new Mesh(apps, 'Mesh');
    new ZeroTrustNamespace(apps, 'Shop', { name: 'shop', revisionTag: 'prod-blue' });
    new RevisionedControlPlane(new Chart(app, 'platform'), 'ControlPlane', STANDARD);
    expectSynthError(app, 'uses tag "prod-blue", which is not declared; declared tags: "prod-canary", "prod-stable"');
  });
});

describe('RevisionedControlPlane: the upgrade flow', () => {
  test('add revision → canary tag → move namespaces → promote stable → remove the old revision', () => {
    // GIVEN: everything on 1.29.2
    const { app, cp } = setup({ revisions: [{ name: '1-29-2', version: '1.29.2' }], tags: { 'prod-stable': '1-29-2', 'prod-canary': '1-29-2' } });
    cp.bind('shop', 'prod-stable');
    cp.bind('web', 'prod-stable');
    // WHEN
    cp.addRevision({ name: '1-30-3', version: '1.30.3' });
    cp.setTag('prod-canary', '1-30-3');
    cp.moveNamespace('web', 'prod-canary');
    cp.setTag('prod-stable', '1-30-3');
    cp.removeRevision('1-29-2');
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'Istio').map(o => o.metadata.name)).toEqual(['1-30-3']);
    expect(findObjects(out, 'IstioRevisionTag').map(o => [o.metadata.name, o.spec.targetRef.name])).toEqual([
      ['prod-stable', '1-30-3'], ['prod-canary', '1-30-3'],
    ]);
    expect(findObject(out, 'Namespace', 'shop').metadata.labels['istio.io/rev']).toBe('prod-stable');
    expect(findObject(out, 'Namespace', 'web').metadata.labels['istio.io/rev']).toBe('prod-canary');
    expect(findObject(out, 'IstioCNI', 'default').spec.version).toBe('v1.30.3');
  });

  test('tags render lazily: setTag() after other calls still counts', () => {
    // GIVEN
    const { app, cp } = setup();
    const before = synthValid(app);
    // WHEN
    cp.setTag('prod-stable', '1-30-3');
    // THEN
    expect(findObject(before, 'IstioRevisionTag', 'prod-stable').spec.targetRef.name).toBe('1-29-2');
    expect(findObject(synthValid(app), 'IstioRevisionTag', 'prod-stable').spec.targetRef.name).toBe('1-30-3');
  });

  test('removeTag() drops an unused tag', () => {
    // GIVEN
    const { app, cp } = setup();
    // WHEN
    cp.removeTag('prod-canary');
    // THEN
    expect(findObjects(synthValid(app), 'IstioRevisionTag').map(o => o.metadata.name)).toEqual(['prod-stable']);
    expect(cp.tags).toEqual(['prod-stable']);
  });
});

describe('RevisionedControlPlane: Helm values', () => {
  function helmObject(out: any[], revision: string): any {
    return YAML.parse(findObject(out, 'ConfigMap', `istiod-${revision}-values`, 'istio-system').data[RevisionedControlPlane.HELM_VALUES_KEY]);
  }

  test('helmValues renders, per revision, the Sail values plus revision and revisionTags', () => {
    // GIVEN / WHEN
    const { app, cp } = setup({ ...STANDARD, helmValues: true });
    // THEN
    const out = synthValid(app);
    for (const name of ['1-29-2', '1-30-3']) {
      const helm = helmObject(out, name);
      const { revision, revisionTags, ...rest } = helm;
      expect(revision).toBe(name);
      expect(rest).toEqual(istio(out, name).spec.values); // one source of truth
      expect(YAML.parse(cp.renderHelmValues(name))).toEqual(helm);
    }
    expect(helmObject(out, '1-29-2').revisionTags).toEqual(['prod-stable']);
    expect(helmObject(out, '1-30-3').revisionTags).toEqual(['prod-canary']);
    expect(YAML.parse(findObject(out, 'ConfigMap', 'istio-cni-values').data['values.yaml'])).toEqual({ global: { variant: 'distroless' } });
  });

  test('Helm values follow later tag moves and revision removals', () => {
    // GIVEN
    const { app, cp } = setup({ ...STANDARD, helmValues: true });
    // WHEN
    cp.setTag('prod-stable', '1-30-3');
    cp.removeRevision('1-29-2');
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'ConfigMap').map(c => c.metadata.name).sort()).toEqual(['istio-cni-values', 'istiod-1-30-3-values']);
    expect(helmObject(out, '1-30-3').revisionTags).toEqual(['prod-canary', 'prod-stable']);
  });

  test('sailResources: false renders Helm values only, and accepts releases newer than the pinned Sail CRD', () => {
    // GIVEN / WHEN
    const { app } = setup({ revisions: [{ name: '1-31-0', version: '1.31.0' }], tags: { 'prod-stable': '1-31-0' }, sailResources: false, helmValues: true });
    // THEN
    const out = synthValid(app);
    expect(out.filter(o => String(o.apiVersion).startsWith('sailoperator.io'))).toEqual([]);
    expect(helmObject(out, '1-31-0')).toMatchObject({ revision: '1-31-0', revisionTags: ['prod-stable'] });
  });

  test('renderHelmValues() is valid YAML without a Helm ConfigMap', () => {
    // GIVEN
    const { cp } = setup();
    // WHEN
    const text = cp.renderHelmValues('1-30-3');
    // THEN
    expect(YAML.parse(text)).toMatchObject({ revision: '1-30-3', revisionTags: ['prod-canary'], pilot: { autoscaleMin: 2 } });
    expect(text).toEqual(Yaml.stringify(YAML.parse(text)));
  });
});

describe('RevisionedControlPlane: warnings', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('warns once when revisions are more than two minor releases apart', () => {
    // GIVEN
    const { app, cp } = setup({ revisions: [{ name: '1-27-0', version: '1.27.0' }, { name: '1-30-3', version: '1.30.3' }], cni: false });
    // WHEN
    synthValid(app);
    synthValid(app);
    // THEN
    const skew = 'revisions "1-27-0" (1.27.0) and "1-30-3" (1.30.3) are 3 minor releases apart; Istio supports canary upgrades across at most two minor releases';
    expect(cp.warnings).toHaveLength(1);
    expect(cp.warnings[0]).toContain(skew);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('[platform/ControlPlane] warning: ' + skew);
  });

  test('two minor releases apart is fine', () => {
    // GIVEN
    const { app, cp } = setup({ revisions: [{ name: '1-28-0', version: '1.28.0' }, { name: '1-30-3', version: '1.30.3' }], cni: false });
    // WHEN
    synthValid(app);
    // THEN
    expect(cp.warnings).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  test('warns about a CNI agent more than one minor release from a revision', () => {
    // GIVEN
    const { app, cp } = setup({ ...STANDARD, cniVersion: '1.28.0' });
    // WHEN
    synthValid(app);
    // THEN
    expect(cp.warnings).toEqual([expect.stringContaining('the CNI agent 1.28.0 supports control planes within one minor release of it, but revision "1-30-3" (1.30.3) is further away')]);
    expect(findObject(synthValid(app), 'IstioCNI', 'default').spec.version).toBe('v1.28.0');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('warns about a single istiod replica with a PodDisruptionBudget', () => {
    // GIVEN / WHEN
    const { app, cp } = setup({ ...STANDARD, istiodReplicas: 1 });
    synthValid(app);
    // THEN
    expect(cp.warnings).toEqual([expect.stringContaining('istiodReplicas is 1 with podDisruptionBudget on')]);
  });
});

describe('RevisionedControlPlane: the example app', () => {
  test('examples/control-plane-upgrade synthesizes the five steps, each valid against the pinned CRDs', () => {
    // GIVEN / WHEN
    const files = synthExample('control-plane-upgrade');
    // THEN
    const steps = [...new Set(Object.keys(files).map(f => f.split(path.sep)[0]))].sort();
    expect(steps).toEqual(['1-add-revision', '2-canary-tag', '3-move-namespaces', '4-promote-stable', '5-remove-old-revision']);
    const step = (n: string) => Object.entries(files).filter(([f]) => f.startsWith(n + path.sep)).flatMap(([, o]) => o);
    const tags = (n: string) => findObjects(step(n), 'IstioRevisionTag').map(o => `${o.metadata.name}->${o.spec.targetRef.name}`).sort();
    const revisions = (n: string) => findObjects(step(n), 'Istio').map(o => `${o.metadata.name}@${o.spec.version}`).sort();
    const labels = (n: string) => findObjects(step(n), 'Namespace').filter(o => o.metadata.labels?.['istio.io/rev']).map(o => `${o.metadata.name}=${o.metadata.labels['istio.io/rev']}`).sort();

    expect(revisions('1-add-revision')).toEqual(['1-29-2@v1.29.2', '1-30-3@v1.30.3']);
    expect(tags('1-add-revision')).toEqual(['prod-canary->1-29-2', 'prod-stable->1-29-2']);
    expect(tags('2-canary-tag')).toEqual(['prod-canary->1-30-3', 'prod-stable->1-29-2']);
    expect(labels('2-canary-tag')).toEqual(['shop=prod-stable', 'web=prod-stable']);
    expect(labels('3-move-namespaces')).toEqual(['shop=prod-stable', 'web=prod-canary']);
    expect(tags('4-promote-stable')).toEqual(['prod-canary->1-30-3', 'prod-stable->1-30-3']);
    expect(revisions('4-promote-stable')).toEqual(['1-29-2@v1.29.2', '1-30-3@v1.30.3']);
    expect(revisions('5-remove-old-revision')).toEqual(['1-30-3@v1.30.3']);
    expect(labels('5-remove-old-revision')).toEqual(['shop=prod-stable', 'web=prod-canary']);
    // The CNI node agent stays on 1.29.2 while the canary is on trial and follows once 1.29.2 is gone.
    expect(steps.map(n => findObject(step(n), 'IstioCNI', 'default').spec.version)).toEqual(['v1.29.2', 'v1.29.2', 'v1.29.2', 'v1.29.2', 'v1.30.3']);
  });
});

describe('RevisionedControlPlane: docs/control-plane-upgrade.md', () => {
  test('shows the example\'s code and its step-1 output verbatim (the page cannot drift from the example)', () => {
    // GIVEN
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'control-plane-upgrade.md'), 'utf8');
    const main = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'control-plane-upgrade', 'main.ts'), 'utf8');
    // WHEN
    const files = synthExample('control-plane-upgrade');
    // THEN
    expect(doc).toContain(main.slice(main.indexOf('/** Where the cluster starts')).trimEnd());
    expect(doc).toContain(Yaml.stringify(...files[path.join('1-add-revision', 'platform.k8s.yaml')]).trimEnd());
    for (const line of ['-    istio.io/rev: prod-stable', '+    istio.io/rev: prod-canary', '+  version: v1.30.3']) expect(doc).toContain(line);
  });
});

describe('RevisionedControlPlane: bad input', () => {
  test('fails when a revision name contains dots, and suggests the dashed form', () => {
    expectConfigError(() => setup({ revisions: [{ name: '1.30.3', version: '1.30.3' }] }),
      '[platform/ControlPlane] revisions[0].name must be a DNS-1123 label', 'got "1.30.3": \'.\' is not a valid revision name character (try "1-30-3")');
  });

  test('fails when a revision name is not a DNS-1123 label', () => {
    expectConfigError(() => setup({ revisions: [{ name: 'Canary', version: '1.30.3' }] }), 'revisions[0].name must be a DNS-1123 label', 'got "Canary" (try "canary")');
    expectConfigError(() => setup({ revisions: [{ name: 'a'.repeat(64), version: '1.30.3' }] }), 'revisions[0].name must be a DNS-1123 label', 'at most 63 characters');
    const { cp } = setup();
    expectConfigError(() => cp.addRevision({ name: '-x', version: '1.30.3' }), 'revision.name must be a DNS-1123 label', 'got "-x"');
  });

  test('fails when a version is not x.y.z', () => {
    expectConfigError(() => setup({ revisions: [{ name: '1-30', version: '1.30' }] }),
      'revisions[0].version must be an Istio release number \'major.minor.patch\' such as "1.30.3", got "1.30"');
    expectConfigError(() => setup({ revisions: [{ name: 'c', version: 'v1.30.3' }] }), 'got "v1.30.3" (write "1.30.3": the Sail operator\'s \'v\' prefix is added for you)');
    expectConfigError(() => setup({ revisions: [{ name: 'c', version: '1.30.3-rc.1' }] }), 'got "1.30.3-rc.1"');
    expectConfigError(() => setup({ revisions: [{ name: 'c', version: 1.3 as any }] }), 'got 1.3');
  });

  test('fails when a version is not one the pinned Sail operator supports', () => {
    expectConfigError(() => setup({ revisions: [{ name: '1-31-0', version: '1.31.0' }] }),
      'revisions[0].version must be a release the pinned Sail operator CRD lists (1.21.6 to 1.30.3; for 1.30: 1.30.0, 1.30.1, 1.30.2, 1.30.3), got "1.31.0"');
  });

  test('fails when two revisions have the same name', () => {
    expectConfigError(() => setup({ revisions: [{ name: 'r1', version: '1.29.2' }, { name: 'r1', version: '1.30.3' }] }),
      'revisions[1].name: revision "r1" is declared twice; revision names must be unique');
    const { cp } = setup();
    expectConfigError(() => cp.addRevision({ name: '1-30-3', version: '1.30.3' }), 'revision.name: revision "1-30-3" is declared twice');
  });

  test('fails when a tag points at a missing revision', () => {
    expectConfigError(() => setup({ revisions: [{ name: '1-29-2', version: '1.29.2' }], tags: { 'prod-stable': '1-30-3' } }),
      'tags.prod-stable: tag "prod-stable" points at revision "1-30-3", which is not declared; declared revisions: "1-29-2"');
    const { cp } = setup();
    expectConfigError(() => cp.setTag('prod-canary', '1-31-0'), 'setTag("prod-canary", "1-31-0"): tag "prod-canary" points at revision "1-31-0", which is not declared');
  });

  test('fails when a tag is named like a revision, or a revision like a tag', () => {
    expectConfigError(() => setup({ ...STANDARD, tags: { '1-29-2': '1-30-3' } }), 'tags.1-29-2: tag "1-29-2" has the name of a revision; a tag must not be named like a revision');
    const { cp } = setup();
    expectConfigError(() => cp.addRevision({ name: 'prod-stable', version: '1.30.2' }), 'revision.name: "prod-stable" is already a tag name; a revision and a tag must not share a name');
  });

  test('fails when a tag name is not a DNS-1123 label', () => {
    const { cp } = setup();
    expectConfigError(() => cp.setTag('Prod.Stable', '1-29-2'), 'setTag("Prod.Stable", "1-29-2"): tag must be a DNS-1123 label', '(try "prod-stable")');
  });

  test('fails when a namespace is bound to an undeclared tag', () => {
    const { cp } = setup();
    expectConfigError(() => cp.bind('shop', 'prod'), '[platform/ControlPlane] bind("shop", "prod"): tag "prod" is not declared; declared tags: "prod-canary", "prod-stable"');
    expectConfigError(() => cp.bind('shop', '1-29-2'), 'tag "1-29-2" is not declared ("1-29-2" is a revision: bind namespaces to a tag that points at it');
  });

  test('fails at synth when a registered namespace uses an undeclared tag, and writes nothing', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcp-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'platform');
    new Mesh(chart, 'Mesh');
    const cp = new RevisionedControlPlane(chart, 'ControlPlane', STANDARD);
    // WHEN
    cp.registerNamespace('payments', 'prod-blue', 'platform/Payments');
    // THEN
    const err = errorOf(() => app.synth());
    expect(err.message).toContain('[platform/ControlPlane] namespace "payments" (bound by platform/Payments) uses tag "prod-blue", which is not declared; declared tags: "prod-canary", "prod-stable"');
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('fails when removing a revision that a tag (and its namespaces) still uses', () => {
    const { cp } = setup();
    cp.bind('shop', 'prod-stable');
    cp.registerNamespace('payments', 'prod-stable', 'platform/Payments');
    expectConfigError(() => cp.removeRevision('1-29-2'),
      'removeRevision("1-29-2"): revision "1-29-2" is still the target of tag "prod-stable" (used by namespaces payments, shop); point it at another revision with setTag() first');
    expect(cp.hasRevision('1-29-2')).toBe(true);
  });

  test('fails when removing a revision that does not exist', () => {
    const { cp } = setup();
    expectConfigError(() => cp.removeRevision('1-28-0'), 'removeRevision("1-28-0"): no such revision; declared revisions: "1-29-2", "1-30-3"');
  });

  test('fails when removing a tag that a namespace still uses', () => {
    const { cp } = setup();
    cp.bind('shop', 'prod-canary');
    expectConfigError(() => cp.removeTag('prod-canary'), 'removeTag("prod-canary"): tag "prod-canary" is still used by namespace shop; move it to another tag first');
    expectConfigError(() => cp.removeTag('prod-x'), 'removeTag("prod-x"): no such tag');
  });

  test('fails at synth when a Namespace anywhere in the app carries istio-injection, and writes nothing', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcp-'));
    const app = new App({ outdir });
    const platform = new Chart(app, 'platform');
    new Mesh(platform, 'Mesh');
    new RevisionedControlPlane(platform, 'ControlPlane', STANDARD);
    const apps = new Chart(app, 'apps');
    // WHEN
    new kplus.k8s.KubeNamespace(apps, 'Legacy', { metadata: { name: 'legacy', labels: { 'istio-injection': 'enabled' } } });
    // THEN
    const err = errorOf(() => app.synth());
    expect(err.message).toContain('[platform/ControlPlane] namespace "legacy" (apps/Legacy) has the label istio-injection=enabled, which takes precedence over istio.io/rev and defeats revision-based upgrades; remove it and bind the namespace to a tag');
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('fails at synth when istio-injection arrives through a JSON patch', () => {
    const { app, cp } = setup();
    const ns = cp.bind('shop', 'prod-stable');
    ApiObject.of(ns).addJsonPatch(JsonPatch.add('/metadata/labels/istio-injection', 'disabled'));
    expectSynthError(app, 'namespace "shop" (platform/ControlPlane/Namespace-shop/Resource) has the label istio-injection=disabled');
  });

  test('fails at synth when a rendered Namespace uses an undeclared tag or a revision name', () => {
    const { app, platform } = setup();
    new ApiObject(platform, 'Raw', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw', labels: { 'istio.io/rev': '1-29-2', 'istio-discovery': 'enabled' } } });
    expectSynthError(app, 'namespace "raw" (platform/Raw) has istio.io/rev=1-29-2, which is not a declared tag ("1-29-2" is a revision: label namespaces with a tag that points at it)');
  });

  test('fails at synth when a member Namespace lacks the discovery label', () => {
    const { app, platform } = setup();
    new kplus.k8s.KubeNamespace(platform, 'Hidden', { metadata: { name: 'hidden', labels: { 'istio.io/rev': 'prod-stable' } } });
    expectSynthError(app, 'namespace "hidden" (platform/Hidden) is bound to the mesh (istio.io/rev=prod-stable) but lacks istio-discovery=enabled');
  });

  test('fails at synth when a Namespace is labelled for both sidecar and ambient', () => {
    const { app, platform } = setup();
    new kplus.k8s.KubeNamespace(platform, 'Both', { metadata: { name: 'both', labels: { 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled', 'istio.io/dataplane-mode': 'ambient' } } });
    expectSynthError(app, 'namespace "both" (platform/Both) has both istio.io/rev=prod-stable and istio.io/dataplane-mode=ambient');
  });

  test('fails at synth when a registered namespace is rendered with another tag', () => {
    const { app, platform, cp } = setup();
    new kplus.k8s.KubeNamespace(platform, 'Pay', { metadata: { name: 'payments', labels: { 'istio.io/rev': 'prod-canary', 'istio-discovery': 'enabled' } } });
    cp.registerNamespace('payments', 'prod-stable', 'platform/Payments');
    expectSynthError(app, 'namespace "payments" (platform/Pay) is labelled istio.io/rev=prod-canary but is bound to tag "prod-stable" by platform/Payments');
  });

  test('fails at synth when the same Namespace is rendered twice', () => {
    const { app, platform, cp } = setup();
    cp.bind('shop', 'prod-stable');
    new kplus.k8s.KubeNamespace(platform, 'Shop', { metadata: { name: 'shop', labels: { 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled' } } });
    expectSynthError(app, 'namespace "shop" (platform/Shop) is also rendered by platform/ControlPlane/Namespace-shop/Resource; declare each Namespace once');
  });

  test('fails at synth when no revision is declared', () => {
    const { app } = setup({});
    expectSynthError(app, '[platform/ControlPlane] revisions: the control plane declares no revision; add one with revisions: [{ name: "1-30-3", version: "1.30.3" }] or addRevision()');
  });

  test('fails when a second control plane is declared in the app', () => {
    const { app } = setup();
    const other = new Chart(app, 'other');
    expectConfigError(() => new RevisionedControlPlane(other, 'Second', STANDARD),
      '[other/Second] an app has one RevisionedControlPlane, and platform/ControlPlane is already declared');
  });

  test('a constructor that refused its props registers no control plane', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new Mesh(chart, 'Mesh');
    expectConfigError(() => new RevisionedControlPlane(chart, 'Broken', { revisions: [{ name: '1.30.3', version: '1.30.3' }] }), 'try "1-30-3"');
    expect(RevisionedControlPlane.tryOf(chart)).toBeUndefined();
  });

  test('fails when a namespace is bound twice, or bound by two owners', () => {
    const { cp } = setup();
    cp.bind('shop', 'prod-stable');
    expectConfigError(() => cp.bind('shop', 'prod-canary'), 'bind("shop", "prod-canary"): namespace "shop" is already bound to tag "prod-stable" by platform/ControlPlane; use moveNamespace()');
    expectConfigError(() => cp.registerNamespace('shop', 'prod-canary', 'platform/Shop'), 'registerNamespace("shop", "prod-canary"): namespace "shop" is already bound to tag "prod-stable" by platform/ControlPlane');
    cp.registerNamespace('pay', 'prod-stable', 'platform/Pay');
    expectConfigError(() => cp.registerNamespace('pay', 'prod-stable', 'platform/Other'), 'namespace "pay" is already bound to tag "prod-stable" by platform/Pay');
    expectConfigError(() => cp.moveNamespace('pay', 'prod-canary'), 'moveNamespace("pay", "prod-canary"): namespace "pay" is bound by platform/Pay; change the tag there');
    expectConfigError(() => cp.moveNamespace('nowhere', 'prod-canary'), 'namespace "nowhere" is not bound; bind it with bind() first');
  });

  test('fails when binding the root or CNI namespace, or a namespace that is not a DNS label', () => {
    const { cp } = setup();
    expectConfigError(() => cp.bind('istio-system', 'prod-stable'), 'bind("istio-system", "prod-stable"): "istio-system" is the mesh root namespace, where istiod runs');
    expectConfigError(() => cp.bind('istio-cni', 'prod-stable'), '"istio-cni" is the CNI agent\'s namespace');
    expectConfigError(() => cp.bind('Shop', 'prod-stable'), 'bind("Shop", "prod-stable"): namespace must be a DNS-1123 label', 'got "Shop"');
    expectConfigError(() => cp.registerNamespace('shop', 'Prod', 'x'), 'registerNamespace("shop", "Prod"): tag must be a DNS-1123 label');
  });

  test('fails when bind() collides with a Namespace another construct claimed', () => {
    const { platform, cp } = setup();
    claim(new Construct(platform, 'Shop'), 'namespace', 'shop', 'Namespace');
    expectConfigError(() => cp.bind('shop', 'prod-stable'), '[platform/ControlPlane] Namespace "shop" is already claimed by platform/Shop');
  });

  test('fails when proxy resources are not quantities or requests exceed limits', () => {
    expectConfigError(() => setup({ ...STANDARD, proxyResources: { cpuRequest: '100 m' } }), 'proxyResources.cpuRequest must be a positive Kubernetes CPU quantity in whole millicores such as "100m" or "2", got "100 m"');
    expectConfigError(() => setup({ ...STANDARD, proxyResources: { memoryLimit: '1GB' } }), 'proxyResources.memoryLimit must be a positive Kubernetes memory quantity such as "128Mi" or "1Gi", got "1GB"');
    expectConfigError(() => setup({ ...STANDARD, proxyResources: { cpuRequest: '3' } }), 'proxyResources.cpuRequest must not exceed proxyResources.cpuLimit, got "3" > "1000m"');
    expectConfigError(() => setup({ ...STANDARD, proxyResources: { memoryRequest: '2Gi' } }), 'proxyResources.memoryRequest must not exceed proxyResources.memoryLimit, got "2Gi" > "512Mi"');
  });

  test('fails when istiod replica counts are not sensible integers', () => {
    expectConfigError(() => setup({ ...STANDARD, istiodReplicas: 0 }), 'istiodReplicas must be an integer from 1 to 100, got 0');
    expectConfigError(() => setup({ ...STANDARD, istiodReplicas: 2.5 }), 'istiodReplicas must be an integer from 1 to 100, got 2.5');
    expectConfigError(() => setup({ ...STANDARD, istiodReplicas: 4, istiodMaxReplicas: 3 }), 'istiodMaxReplicas must be at least istiodReplicas (4), got 3');
  });

  test('fails on other bad props with the allowed values', () => {
    expectConfigError(() => setup({ ...STANDARD, accessLogFile: 'envoy.log' }), 'accessLogFile must be an absolute file path such as "/dev/stdout", or "" to turn access logging off, got "envoy.log"');
    expectConfigError(() => setup({ ...STANDARD, pathNormalization: 'SLASHES' as PathNormalization }), 'pathNormalization must be one of "NONE", "BASE", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES", got "SLASHES"');
    expectConfigError(() => setup({ ...STANDARD, imageVariant: 'alpine' as ImageVariant }), 'imageVariant must be one of "distroless", "debug", got "alpine"');
    expectConfigError(() => setup({ ...STANDARD, outboundTrafficPolicy: 'DENY' as OutboundTrafficPolicy }), 'outboundTrafficPolicy must be one of REGISTRY_ONLY, ALLOW_ANY, got "DENY"');
    expectConfigError(() => setup({ ...STANDARD, cni: 'yes' as any }), 'cni must be true or false, got "yes"');
    expectConfigError(() => setup({ ...STANDARD, cni: false, cniVersion: '1.30.3' }), 'cniVersion "1.30.3" is set but cni is false');
    expectConfigError(() => setup({ ...STANDARD, cni: false, cniNamespace: 'cni' }), 'cniNamespace "cni" is set but cni is false');
    expectConfigError(() => setup({ ...STANDARD, cniVersion: '1.31.0' }), 'cniVersion must be a release the pinned Sail operator CRD lists', 'got "1.31.0"');
    expectConfigError(() => setup({ ...STANDARD, cniNamespace: 'istio-system' }), 'cniNamespace must differ from the root namespace "istio-system"');
    expectConfigError(() => setup({ ...STANDARD, sailResources: false }), 'sailResources and helmValues are both false, so nothing would be rendered');
    expectConfigError(() => setup({ revisions: [null as any] }), 'revisions[0] must be an object { name, version }, got null');
  });

  test('fails when asking for objects or values of an unknown revision or tag', () => {
    const { cp } = setup();
    expectConfigError(() => cp.revisionObject('x'), 'revisionObject("x"): no such revision; declared revisions: "1-29-2", "1-30-3"');
    expectConfigError(() => cp.tagObject('x'), 'tagObject("x"): no such tag; declared tags: "prod-canary", "prod-stable"');
    expectConfigError(() => cp.renderHelmValues('x'), 'renderHelmValues("x"): no such revision');
    const helmOnly = setup({ ...STANDARD, sailResources: false, helmValues: true }).cp;
    expectConfigError(() => helmOnly.revisionObject('1-29-2'), 'sailResources is false, so there is no Sail Istio object');
    expectConfigError(() => helmOnly.tagObject('prod-stable'), 'sailResources is false, so there is no Sail IstioRevisionTag object');
  });
});
