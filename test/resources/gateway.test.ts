import { App, Names } from 'cdk8s';
import { Gateway, GatewayServer, GatewayTlsMode, Protocol, TlsProtocolVersion, networking } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const SHOP = 'shop/shop.example.com';

function gwSpec(app: App): any {
  return findObject(synthValid(app), 'Gateway').spec;
}

const httpsServer: GatewayServer = { port: 443, protocol: Protocol.HTTPS, hosts: [SHOP], tlsMode: GatewayTlsMode.SIMPLE, credentialName: 'shop-cert' };

describe('Gateway', () => {
  test('defaults: the ingressgateway selector, TLS 1.2 minimum, derived port names', () => {
    // GIVEN
    const { app, chart } = setup('istio-ingress');
    // WHEN
    const gw = new Gateway(chart, 'Public', { servers: [httpsServer] });
    // THEN
    const obj = findObject(synthValid(app), 'Gateway');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(gw), namespace: 'istio-ingress' });
    expect(obj.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{
        port: { number: 443, name: 'https-443', protocol: 'HTTPS' },
        hosts: [SHOP],
        tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2' },
      }],
    });
    expect(gw.name).toBe(Names.toDnsLabel(gw));
    expect(gw.serverNames).toEqual(['https-443']);
    expect(gw.node.findChild('Resource')).toBeInstanceOf(networking.Gateway);
  });

  test('servers added later; names made unique per port; HTTP redirect; selector; hosts sorted', () => {
    const { app, chart } = setup('istio-ingress');
    const gw = new Gateway(chart, 'GW', { metadata: { name: 'public' }, selector: { app: 'public-gw' } });
    gw.addServer({ port: 80, protocol: Protocol.HTTP, hosts: [SHOP, 'shop/a.example.com'], httpsRedirect: true });
    gw.addServer(httpsServer);
    gw.addServer({ port: 443, protocol: Protocol.HTTPS, hosts: ['admin/admin.example.com'], tlsMode: GatewayTlsMode.MUTUAL, credentialName: 'admin-cert', minProtocolVersion: TlsProtocolVersion.TLSV1_3 });
    gw.addServer({ port: 8443, protocol: Protocol.HTTPS, name: 'https-partner', hosts: ['partner.example.com'], tlsMode: GatewayTlsMode.OPTIONAL_MUTUAL, credentialName: 'partner' });
    expect(gw.serverNames).toEqual(['http-80', 'https-443', 'https-443-2', 'https-partner']);
    const obj = findObject(synthValid(app), 'Gateway');
    expect(obj.metadata.name).toBe('public');
    expect(obj.spec.selector).toEqual({ app: 'public-gw' });
    expect(obj.spec.servers).toEqual([
      { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['shop/a.example.com', SHOP], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: [SHOP], tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2' } },
      { port: { number: 443, name: 'https-443-2', protocol: 'HTTPS' }, hosts: ['admin/admin.example.com'], tls: { mode: 'MUTUAL', credentialName: 'admin-cert', minProtocolVersion: 'TLSV1_3' } },
      { port: { number: 8443, name: 'https-partner', protocol: 'HTTPS' }, hosts: ['partner.example.com'], tls: { mode: 'OPTIONAL_MUTUAL', credentialName: 'partner', minProtocolVersion: 'TLSV1_2' } },
    ]);
  });

  test('TLS passthrough, ISTIO_MUTUAL, plain TCP and a wildcard host when opted in', () => {
    const { app, chart } = setup('istio-ingress');
    new Gateway(chart, 'GW', {
      selector: { istio: 'egressgateway' },
      servers: [
        { port: 443, protocol: Protocol.TLS, hosts: ['*.example.com'], tlsMode: GatewayTlsMode.PASSTHROUGH },
        { port: 15443, protocol: Protocol.TLS, hosts: ['./api.stripe.com'], tlsMode: GatewayTlsMode.ISTIO_MUTUAL },
        { port: 5432, protocol: Protocol.TCP, hosts: ['*'], allowWildcardHost: true },
      ],
    });
    expect(gwSpec(app).servers).toEqual([
      { port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH' } },
      { port: { number: 15443, name: 'tls-15443', protocol: 'TLS' }, hosts: ['./api.stripe.com'], tls: { mode: 'ISTIO_MUTUAL', minProtocolVersion: 'TLSV1_2' } },
      { port: { number: 5432, name: 'tcp-5432', protocol: 'TCP' }, hosts: ['*'] },
    ]);
  });

  describe('bad input', () => {
    const server = (s: Partial<GatewayServer>): GatewayServer => ({ ...httpsServer, ...s });
    test.each<[string, GatewayServer[], string]>([
      ['a host is "*"', [server({ hosts: ['*'] })], 'servers[0].hosts[0] "*" admits every host, so any VirtualService can bind to this server; list the hosts, or set allowWildcardHost: true'],
      ['a host is "*/*"', [server({ hosts: ['*/*'] })], 'servers[0].hosts[0] "*/*" admits every host'],
      ['a host is "ns/*"', [server({ hosts: ['shop/*'] })], 'servers[0].hosts[0] "shop/*" admits every host'],
      ['a host namespace is invalid', [server({ hosts: ['Shop/shop.example.com'] })], "servers[0].hosts[0] namespace must be '.', '*' or a namespace name, got \"Shop\""],
      ['a host is a short name', [server({ hosts: ['shop/shop'] })], 'servers[0].hosts[0] must be a fully qualified host name'],
      ['a host is listed twice', [server({ hosts: [SHOP, SHOP] })], `servers[0].hosts lists "${SHOP}" twice`],
      ['HTTPS has no TLS settings', [server({ tlsMode: undefined, credentialName: undefined })], 'servers[0] is a HTTPS server without tlsMode; set tlsMode'],
      ['TLS has no TLS settings', [{ port: 443, protocol: Protocol.TLS, hosts: [SHOP] }], 'servers[0] is a TLS server without tlsMode'],
      ['HTTP has TLS settings', [{ port: 80, protocol: Protocol.HTTP, hosts: [SHOP], tlsMode: GatewayTlsMode.SIMPLE, credentialName: 'c' }], 'servers[0].tlsMode is set on a HTTP server; TLS settings are allowed only on HTTPS and TLS servers (use protocol HTTPS, or httpsRedirect)'],
      ['AUTO_PASSTHROUGH is used', [server({ protocol: Protocol.TLS, tlsMode: 'AUTO_PASSTHROUGH' as GatewayTlsMode, credentialName: undefined })], 'servers[0].tlsMode AUTO_PASSTHROUGH exposes every service of the mesh by SNI (ISTIO-SECURITY-2021-006)'],
      ['SIMPLE has no credential', [server({ credentialName: undefined })], 'servers[0].credentialName is required with tlsMode SIMPLE'],
      ['ISTIO_MUTUAL has a credential', [server({ tlsMode: GatewayTlsMode.ISTIO_MUTUAL })], 'servers[0].credentialName is not allowed with tlsMode ISTIO_MUTUAL'],
      ['PASSTHROUGH has a credential', [server({ protocol: Protocol.TLS, tlsMode: GatewayTlsMode.PASSTHROUGH })], 'servers[0].credentialName is not allowed with tlsMode PASSTHROUGH'],
      ['PASSTHROUGH has a minimum TLS version', [server({ protocol: Protocol.TLS, tlsMode: GatewayTlsMode.PASSTHROUGH, credentialName: undefined, minProtocolVersion: TlsProtocolVersion.TLSV1_3 })], 'servers[0].minProtocolVersion applies only to servers that terminate TLS, got tlsMode PASSTHROUGH'],
      ['the credential is not a Secret name', [server({ credentialName: 'Shop_Cert' })], 'servers[0].credentialName must be a DNS-1123 subdomain'],
      ['httpsRedirect is set on HTTPS', [server({ httpsRedirect: true })], 'servers[0].httpsRedirect is allowed only on HTTP servers, got HTTPS'],
      ['a port is out of range', [server({ port: 0 })], 'servers[0].port must be an integer from 1 to 65535, got 0'],
      ['a protocol is unsupported', [server({ protocol: Protocol.MYSQL })], 'servers[0].protocol must be one of HTTP, HTTP2, HTTPS, GRPC, GRPC-WEB, TCP, TLS, MONGO, got "MYSQL"'],
      ['one port has two protocols', [httpsServer, { port: 443, protocol: Protocol.HTTP, hosts: [SHOP] }], 'servers[1] uses port 443 with protocol HTTP, but servers[0] uses it with HTTPS; one port has one protocol'],
      ['a port name is used twice', [server({ name: 'web' }), server({ port: 8443, name: 'web' })], 'servers[1].name "web" is already used by servers[0]; port names must be unique within a Gateway'],
      ['a port name is not a DNS label', [server({ name: 'Web_1' })], 'servers[0].name must be a DNS-1123 label'],
      ['the hosts are empty', [server({ hosts: [] })], 'servers[0].hosts must not be empty'],
      ['the tls mode is unknown', [server({ tlsMode: 'STRICT' as GatewayTlsMode })], 'servers[0].tlsMode must be one of SIMPLE, MUTUAL, PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL, got "STRICT"'],
    ])('fails when %s', (_description, servers, message) => {
      const { chart } = setup('istio-ingress');
      expect(() => new Gateway(chart, 'GW', { servers })).toThrow(failure('test/GW', message));
    });

    test('fails when the selector is empty', () => {
      const { chart } = setup('istio-ingress');
      expect(() => new Gateway(chart, 'GW', { selector: {}, servers: [httpsServer] })).toThrow(failure('test/GW', 'selector must contain at least one label, got {}'));
    });

    test('fails when addServer() reuses a port with another protocol', () => {
      const { chart } = setup('istio-ingress');
      const gw = new Gateway(chart, 'GW', { servers: [httpsServer] });
      expect(() => gw.addServer({ port: 443, protocol: Protocol.TCP, hosts: [SHOP] })).toThrow(failure('test/GW', 'servers[1] uses port 443 with protocol TCP'));
    });

    test('fails at synth when no server was ever added', () => {
      const { app, chart } = setup('istio-ingress');
      new Gateway(chart, 'GW');
      expect(() => synthValid(app)).toThrow('[test/GW] Gateway has no servers: add at least one with addServer()');
    });
  });
});
