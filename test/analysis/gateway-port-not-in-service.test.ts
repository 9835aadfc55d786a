import { deployment, findingsOf, gateway, hits, INGRESS, ns, SHOP } from './support';

const RULE = 'gateway-port-not-in-service';

describe(RULE, () => {
  test('fires on a server port the gateway Service does not expose', () => {
    const f = findingsOf(SHOP + INGRESS + gateway('tcp', 'istio-ingress', ['*/db.example.com'], 443).replace('number: 443', 'number: 5432'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning Gateway/istio-ingress/tcp']);
    expect(f[0].message).toContain('5432');
    expect(f[0].codes).toEqual(['IST0162']);
  });

  test('near miss: the Service port, or its target (container) port', () => {
    expect(hits(SHOP + INGRESS + gateway('web', 'istio-ingress', ['*/shop.example.com'], 443) + gateway('plain', 'istio-ingress', ['*/shop.example.com'], 80), RULE)).toEqual([]);
    expect(hits(SHOP + INGRESS + gateway('web', 'istio-ingress', ['*/shop.example.com'], 443).replace('number: 443', 'number: 8443'), RULE)).toEqual([]);
  });

  test('near miss: a named target port resolves to the container port', () => {
    const yaml = SHOP + ns('istio-ingress') + `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: gw, namespace: istio-ingress }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  template:
    metadata: { labels: { istio: ingressgateway } }
    spec: { containers: [{ name: istio-proxy, image: auto, ports: [{ containerPort: 8443, name: https }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: gw, namespace: istio-ingress }
spec:
  selector: { istio: ingressgateway }
  ports: [{ name: https, port: 443, targetPort: https }]
` + gateway('web', 'istio-ingress', ['*/shop.example.com'], 443).replace('number: 443', 'number: 8443');
    expect(hits(yaml, RULE)).toEqual([]);
    expect(hits(yaml.replace('targetPort: https', 'targetPort: tls'), RULE)).toEqual(['warning Gateway/istio-ingress/web']);
  });

  test('near miss: the gateway workload has no Service in the app', () => {
    const yaml = SHOP + ns('istio-ingress') + deployment('ingressgateway', 'istio-ingress', 'istio: ingressgateway')
      + gateway('tcp', 'istio-ingress', ['*/db.example.com'], 443).replace('number: 443', 'number: 5432');
    expect(hits(yaml, RULE)).toEqual([]);
  });
});
