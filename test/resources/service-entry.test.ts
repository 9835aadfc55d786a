import { App, Names } from 'cdk8s';
import { MeshPort, ServiceEntry, ServiceEntryLocation, ServiceEntryProps, ServiceEntryResolution, networking } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

function seSpec(app: App): any {
  return findObject(synthValid(app), 'ServiceEntry').spec;
}

const https = [MeshPort.https(443)];

describe('ServiceEntry', () => {
  test('defaults to MESH_EXTERNAL, DNS and own-namespace export with explicit protocols', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const se = new ServiceEntry(chart, 'Stripe', { hosts: ['api.stripe.com'], ports: https });
    // THEN
    const obj = findObject(synthValid(app), 'ServiceEntry');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(se), namespace: 'shop' });
    expect(obj.spec).toEqual({
      hosts: ['api.stripe.com'],
      ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
    });
    expect(se.location).toBe(ServiceEntryLocation.MESH_EXTERNAL);
    expect(se.resolution).toBe(ServiceEntryResolution.DNS);
    expect(se.hosts).toEqual(['api.stripe.com']);
    expect(se.ports.map(p => p.number)).toEqual([443]);
    expect(se.name).toBe(Names.toDnsLabel(se));
    expect(se.node.findChild('Resource')).toBeInstanceOf(networking.ServiceEntry);
  });

  test('several HTTP/TLS hosts, ports sorted, targetPort when it differs, exportTo and addExportTo()', () => {
    const { app, chart } = setup();
    const se = new ServiceEntry(chart, 'SE', {
      metadata: { name: 'payments' },
      hosts: ['b.example.com', 'a.example.com'],
      ports: [MeshPort.https(443), MeshPort.http(80, { targetPort: 8080 })],
      exportTo: ['web'],
    });
    se.addExportTo('api');
    se.addExportTo('web');
    expect(se.exportTo).toEqual(['api', 'web']);
    const spec = seSpec(app);
    expect(spec.hosts).toEqual(['a.example.com', 'b.example.com']);
    expect(spec.ports).toEqual([
      { number: 80, name: 'http-80', protocol: 'HTTP', targetPort: 8080 },
      { number: 443, name: 'https-443', protocol: 'HTTPS' },
    ]);
    expect(spec.exportTo).toEqual(['api', 'web']);
  });

  test('TCP with addresses; STATIC with endpoints; MESH_INTERNAL', () => {
    const { app, chart } = setup();
    new ServiceEntry(chart, 'Db', {
      hosts: ['db.internal.example.com'],
      ports: [MeshPort.tcp(5432)],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      addresses: ['10.1.0.0/24'],
      endpoints: [{ address: '10.1.0.5', ports: { 'tcp-5432': 6432 }, labels: { role: 'primary' }, weight: 3 }, { address: '10.1.0.6' }],
    });
    const spec = seSpec(app);
    expect(spec.location).toBe('MESH_INTERNAL');
    expect(spec.resolution).toBe('STATIC');
    expect(spec.addresses).toEqual(['10.1.0.0/24']);
    expect(spec.endpoints).toEqual([
      { address: '10.1.0.5', ports: { 'tcp-5432': 6432 }, labels: { role: 'primary' }, weight: 3 },
      { address: '10.1.0.6' },
    ]);
  });

  test('DNS endpoints by name; DNS_ROUND_ROBIN with one endpoint', () => {
    const { app, chart } = setup();
    new ServiceEntry(chart, 'A', { hosts: ['api.example.com'], ports: https, endpoints: [{ address: 'eu.api.example.com' }] });
    new ServiceEntry(chart, 'B', { hosts: ['b.example.com'], ports: https, resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'lb.example.com' }] });
    const ses = synthValid(app).filter(m => m.kind === 'ServiceEntry');
    expect(ses[0].spec.endpoints).toEqual([{ address: 'eu.api.example.com' }]);
    expect(ses[1].spec.resolution).toBe('DNS_ROUND_ROBIN');
  });

  test('wildcard hosts with allowWildcardHosts and DYNAMIC_DNS or NONE with addresses', () => {
    const { app, chart } = setup();
    new ServiceEntry(chart, 'A', { hosts: ['*.googleapis.com'], allowWildcardHosts: true, ports: https, resolution: ServiceEntryResolution.DYNAMIC_DNS });
    new ServiceEntry(chart, 'B', { hosts: ['*.example.com'], allowWildcardHosts: true, ports: https, resolution: ServiceEntryResolution.NONE, addresses: ['203.0.113.0/24'] });
    const ses = synthValid(app).filter(m => m.kind === 'ServiceEntry');
    expect(ses[0].spec).toMatchObject({ hosts: ['*.googleapis.com'], resolution: 'DYNAMIC_DNS' });
    expect(ses[1].spec).toMatchObject({ hosts: ['*.example.com'], resolution: 'NONE', addresses: ['203.0.113.0/24'] });
  });

  test('dnsAutoAllocate allows a TCP port without addresses (nothing else rendered)', () => {
    const { app, chart } = setup();
    new ServiceEntry(chart, 'SE', { hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)], dnsAutoAllocate: true });
    expect(seSpec(app)).toEqual({
      hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp-5432', protocol: 'TCP' }], location: 'MESH_EXTERNAL', resolution: 'DNS', exportTo: ['.'],
    });
  });

  test('workloadSelector', () => {
    const { app, chart } = setup();
    new ServiceEntry(chart, 'SE', { hosts: ['vm.shop.example.com'], ports: [MeshPort.http(80)], location: ServiceEntryLocation.MESH_INTERNAL, resolution: ServiceEntryResolution.STATIC, workloadSelector: { app: 'vm' } });
    expect(seSpec(app).workloadSelector).toEqual({ labels: { app: 'vm' } });
  });

  describe('bad input', () => {
    const base: ServiceEntryProps = { hosts: ['api.example.com'], ports: https };
    test.each<[string, ServiceEntryProps, string]>([
      ['a host is "*"', { ...base, hosts: ['*'] }, 'hosts[0] must not be "*" (Istio rejects it: a ServiceEntry cannot claim every host)'],
      ['a wildcard host is not opted in', { ...base, hosts: ['*.example.com'] }, 'hosts[0] "*.example.com" is a wildcard, which opens egress to every subdomain; list the exact hosts, or set allowWildcardHosts: true'],
      ['a wildcard host uses DNS resolution', { ...base, hosts: ['*.example.com'], allowWildcardHosts: true }, 'hosts[0] "*.example.com" is a wildcard, which resolution DNS cannot resolve; use resolution NONE (with addresses) or DYNAMIC_DNS'],
      ['a host is a short name', { ...base, hosts: ['stripe'] }, 'hosts[0] must be a fully qualified host name'],
      ['hosts is empty', { ...base, hosts: [] }, 'hosts must not be empty'],
      ['a host is listed twice', { ...base, hosts: ['a.example.com', 'a.example.com'] }, 'hosts lists "a.example.com" twice'],
      ['ports is empty', { ...base, ports: [] }, 'ports must list at least one MeshPort'],
      ['two ports share a number', { ...base, ports: [MeshPort.https(443), MeshPort.tls(443)] }, 'ports[1].number 443 is used by another port; port numbers must be distinct'],
      ['two ports share a name', { ...base, ports: [MeshPort.http(80, { name: 'http' }), MeshPort.http(8080, { name: 'http' })] }, 'ports[1].name "http" is used by another port'],
      ['a port number is out of range', { ...base, ports: [MeshPort.https(70000)] }, 'ports[0].number must be an integer from 1 to 65535, got 70000'],
      ['resolution NONE has no addresses', { ...base, resolution: ServiceEntryResolution.NONE }, 'resolution NONE requires addresses: without them traffic is matched by port only'],
      ['a TCP port has no addresses', { ...base, ports: [MeshPort.tcp(5432)] }, 'ports tcp-5432 are TCP (not HTTP or TLS), so traffic to them is matched by address; set addresses, or dnsAutoAllocate: true'],
      ['a MySQL port has no addresses', { ...base, ports: [MeshPort.mysql(3306)] }, 'ports mysql-3306 are MYSQL (not HTTP or TLS)'],
      ['several hosts share a TCP port', { ...base, hosts: ['a.example.com', 'b.example.com'], ports: [MeshPort.tcp(5432)], addresses: ['10.0.0.1'] }, 'ports tcp-5432 are not HTTP or TLS, so a ServiceEntry with resolution DNS can have only one host, got 2'],
      ['a CIDR is used with DNS resolution', { ...base, addresses: ['10.0.0.0/8'] }, 'addresses[0] "10.0.0.0/8" is a CIDR block, which is allowed only with resolution NONE or STATIC (got DNS)'],
      ['an address is invalid', { ...base, addresses: ['10.0.0.300'] }, 'addresses[0] must be an IP address or a CIDR block'],
      ['an address is listed twice', { ...base, addresses: ['10.0.0.1', '10.0.0.1'] }, 'addresses lists "10.0.0.1" twice'],
      ['NONE has endpoints', { ...base, resolution: ServiceEntryResolution.NONE, addresses: ['10.0.0.1'], endpoints: [{ address: '10.0.0.1' }] }, 'endpoints cannot be set with resolution NONE'],
      ['STATIC has no endpoints', { ...base, resolution: ServiceEntryResolution.STATIC }, 'resolution STATIC requires endpoints (or a workloadSelector)'],
      ['a STATIC endpoint is a name', { ...base, resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'db.example.com' }] }, 'endpoints[0].address must be an IP address with resolution STATIC, got "db.example.com"'],
      ['DNS_ROUND_ROBIN has two endpoints', { ...base, resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }, 'resolution DNS_ROUND_ROBIN allows at most one endpoint, got 2'],
      ['an endpoint port names no port', { ...base, endpoints: [{ address: 'a.example.com', ports: { https: 8443 } }] }, 'endpoints[0].ports key "https" is not the name of a port of the ServiceEntry (https-443)'],
      ['an endpoint weight is 0', { ...base, endpoints: [{ address: 'a.example.com', weight: 0 }] }, 'endpoints[0].weight must be an integer from 1 to 4294967295, got 0'],
      ['endpoints and workloadSelector are both set', { ...base, endpoints: [{ address: 'a.example.com' }], workloadSelector: { app: 'a' } }, 'endpoints and workloadSelector cannot both be set'],
      ['the workload selector is empty', { ...base, workloadSelector: {} }, 'workloadSelector must contain at least one label, got {}'],
      ['the location is unknown', { ...base, location: 'EXTERNAL' as ServiceEntryLocation }, 'location must be one of MESH_EXTERNAL, MESH_INTERNAL, got "EXTERNAL"'],
      ['the resolution is unknown', { ...base, resolution: 'dns' as ServiceEntryResolution }, 'resolution must be one of NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS, got "dns"'],
      ["exportTo combines '~' with others", { ...base, exportTo: ['~', 'web'] }, "exportTo may contain '*' (every namespace) or '~' (no namespace) only alone"],
    ])('fails when %s', (_description, props, message) => {
      const { chart } = setup();
      expect(() => new ServiceEntry(chart, 'SE', props)).toThrow(failure('test/SE', message));
    });

    test('fails when addExportTo() gets an invalid namespace', () => {
      const { chart } = setup();
      const se = new ServiceEntry(chart, 'SE', base);
      expect(() => se.addExportTo('a/b')).toThrow(failure('test/SE', "addExportTo() must be '.', '*', '~' or a namespace name"));
    });
  });
});
