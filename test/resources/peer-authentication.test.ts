import { Names } from 'cdk8s';
import { MtlsMode, PeerAuthentication, PeerAuthenticationProps, security } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

describe('PeerAuthentication', () => {
  test('defaults to a namespace-wide STRICT policy, rendered explicitly', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const pa = new PeerAuthentication(chart, 'Strict');
    // THEN
    const obj = findObject(synthValid(app), 'PeerAuthentication');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(pa), namespace: 'shop' });
    expect(obj.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(pa.mtlsMode).toBe(MtlsMode.STRICT);
    expect(pa.name).toBe(Names.toDnsLabel(pa));
    expect(pa.node.findChild('Resource')).toBeInstanceOf(security.PeerAuthentication);
  });

  test('metadata: the mesh-wide policy named default in the root namespace', () => {
    const { app, chart } = setup();
    new PeerAuthentication(chart, 'Mesh', { metadata: { name: 'default', namespace: 'istio-system' } });
    expect(findObject(synthValid(app), 'PeerAuthentication').metadata).toEqual({ name: 'default', namespace: 'istio-system' });
  });

  test.each([MtlsMode.PERMISSIVE, MtlsMode.DISABLE, MtlsMode.UNSET])('mtlsMode %s', (mode) => {
    const { app, chart } = setup();
    new PeerAuthentication(chart, 'PA', { mtlsMode: mode });
    expect(findObject(synthValid(app), 'PeerAuthentication').spec.mtls).toEqual({ mode });
  });

  test('selector and portLevelMtls (keyed by port)', () => {
    const { app, chart } = setup();
    new PeerAuthentication(chart, 'PA', {
      selector: { app: 'legacy' },
      portLevelMtls: [{ port: 9090, mode: MtlsMode.DISABLE }, { port: 8080, mode: MtlsMode.PERMISSIVE }],
    });
    expect(findObject(synthValid(app), 'PeerAuthentication').spec).toEqual({
      selector: { matchLabels: { app: 'legacy' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'DISABLE' } },
    });
  });

  describe('bad input', () => {
    test.each<[string, PeerAuthenticationProps, string]>([
      ['portLevelMtls has no selector', { portLevelMtls: [{ port: 8080, mode: MtlsMode.PERMISSIVE }] }, 'portLevelMtls requires a selector'],
      ['the selector is empty', { selector: {}, portLevelMtls: [{ port: 8080, mode: MtlsMode.PERMISSIVE }] }, 'selector must contain at least one label, got {}'],
      ['portLevelMtls is an empty list', { selector: { app: 'a' }, portLevelMtls: [] }, 'portLevelMtls must not be empty'],
      ['a port is 0', { selector: { app: 'a' }, portLevelMtls: [{ port: 0, mode: MtlsMode.STRICT }] }, 'portLevelMtls[0].port must be an integer from 1 to 65535, got 0'],
      ['a port is above 65535', { selector: { app: 'a' }, portLevelMtls: [{ port: 65536, mode: MtlsMode.STRICT }] }, 'portLevelMtls[0].port must be an integer from 1 to 65535, got 65536'],
      ['a port is listed twice', { selector: { app: 'a' }, portLevelMtls: [{ port: 80, mode: MtlsMode.STRICT }, { port: 80, mode: MtlsMode.DISABLE }] }, 'portLevelMtls[1].port 80 is listed twice'],
      ['a port mode is unknown', { selector: { app: 'a' }, portLevelMtls: [{ port: 80, mode: 'OFF' as MtlsMode }] }, 'portLevelMtls[0].mode must be one of UNSET, DISABLE, PERMISSIVE, STRICT, got "OFF"'],
      ['the mode is unknown', { mtlsMode: 'strict' as MtlsMode }, 'mtlsMode must be one of UNSET, DISABLE, PERMISSIVE, STRICT, got "strict"'],
      ['a selector label key is invalid', { selector: { '-app': 'a' } }, 'selector has an invalid label key "-app"'],
    ])('fails when %s', (_description, props, message) => {
      const { chart } = setup();
      expect(() => new PeerAuthentication(chart, 'PA', props)).toThrow(failure('test/PA', message));
    });
  });
});
