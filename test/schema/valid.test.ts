import { ManifestValidator } from '../../src/schema';
import { crdValidator } from '../helpers';
import { allValidFixtures, VALID_DIR } from './fixtures/load';

const FIXTURES = allValidFixtures();

describe('valid manifests', () => {
  test('the fixtures cover every kind the library generates', () => {
    // GIVEN the valid fixtures
    const kinds = new Set(FIXTURES.map((f) => `${f.manifest.apiVersion.split('/')[0]}/${f.manifest.kind}`));
    // THEN at least 15 objects, and every required kind is there
    expect(FIXTURES.length).toBeGreaterThanOrEqual(15);
    for (const k of [
      'networking.istio.io/VirtualService', 'networking.istio.io/DestinationRule', 'networking.istio.io/Gateway',
      'networking.istio.io/ServiceEntry', 'networking.istio.io/Sidecar', 'security.istio.io/PeerAuthentication',
      'security.istio.io/AuthorizationPolicy', 'security.istio.io/RequestAuthentication', 'telemetry.istio.io/Telemetry',
      'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute', 'sailoperator.io/Istio',
      'sailoperator.io/IstioRevisionTag',
    ]) {
      expect(kinds).toContain(k);
    }
  });

  test.each(FIXTURES.map((f) => [`${f.file}#${f.index} ${f.manifest.kind}/${f.manifest.metadata?.name}`, f.manifest]))(
    '%s passes',
    (_name, manifest) => {
      // GIVEN a valid manifest / WHEN validated
      const problems = crdValidator().validateObject(manifest);
      // THEN no problem
      expect(ManifestValidator.formatProblems(problems)).toBe('');
    },
  );

  test('validateFiles on the fixture directory finds no problem', () => {
    // WHEN
    const problems = crdValidator().validateFiles([VALID_DIR]);
    // THEN
    expect(problems).toEqual([]);
  });

  test('defaults are applied before CEL rules run (HTTPRoute rule without matches)', () => {
    // GIVEN an HTTPRoute rule without `matches`: its CEL rule reads self[0].matches, which only the default provides
    const route = FIXTURES.find((f) => f.manifest.metadata.name === 'reviews-waypoint')!.manifest;
    expect(route.spec.rules[0].matches).toBeUndefined();
    // WHEN
    const problems = crdValidator().validateObject(route);
    // THEN the rule sees the defaulted value and passes; the input is not modified
    expect(problems).toEqual([]);
    expect(route.spec.rules[0].matches).toBeUndefined();
  });

  test('AuthorizationPolicy action CUSTOM without provider passes the pinned CRD (only istiod\'s webhook rejects it)', () => {
    // GIVEN: the 1.30.3 CRD has no CEL rule tying action CUSTOM to provider (its oneOf on provider is vacuous)
    const policy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'custom', namespace: 'shop' },
      spec: { action: 'CUSTOM', rules: [{}] },
    };
    // WHEN
    const problems = crdValidator().validateObject(policy);
    // THEN the schema accepts it, so this check belongs to the analyzer / L2 construct, not to the validator
    expect(problems).toEqual([]);
  });
});
