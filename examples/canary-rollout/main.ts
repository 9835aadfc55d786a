// A canary rollout of `reviews` from v1 (1.0.0) to v2 (1.1.0), promoted by code changes only:
//   1-canary-10   10 % of the traffic to v2
//   2-canary-50   50 %
//   3-canary-100  100 % (v1 still running and still a subset: nothing is removed yet)
//   4-promoted    v2 is the stable version; v1, its Deployment and its subset are gone
// Every step is one App written to $CDK8S_OUTDIR/<step> (default dist/<step>), built by the same function, so
// the first three outputs differ only in the weights. Commit a step, let Argo CD sync it, watch, then move on.
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as istio from '../../src';

/** The reviews service with `weight` % of its traffic on the canary. */
function reviews(weight: number): istio.CanaryServiceProps {
  return {
    namespace: 'shop',
    port: istio.MeshPort.http(9080),
    stable: { version: 'v1', image: 'example/reviews:1.0.0' },
    canary: { version: 'v2', image: 'example/reviews:1.1.0', weight },
    // testers send `x-canary: always` to reach v2 whatever the weights
    canaryHeader: { name: 'x-canary', value: 'always' },
    // Argo CD applies the DestinationRule (wave -1) before the Deployments (0) and the VirtualServices (1)
    applyOrder: istio.ApplyOrder.ARGO_CD_SYNC_WAVES,
  };
}

/** One step of the rollout: the whole shop, with the given reviews props. */
function step(name: string, reviewsProps: istio.CanaryServiceProps): void {
  const app = new App({ outdir: path.join(process.env.CDK8S_OUTDIR ?? 'dist', name) });
  const chart = new Chart(app, 'shop');
  new istio.Mesh(chart, 'Mesh');

  const reviewsService = new istio.CanaryService(chart, 'Reviews', reviewsProps);
  const productpage = new istio.MeshService(chart, 'ProductPage', {
    namespace: 'shop', port: istio.MeshPort.http(9080), image: 'example/productpage:1.0.0',
  });
  reviewsService.allowFrom(productpage, { methods: ['GET'], paths: ['/reviews/*'] });

  // Public traffic: the page, and the reviews API, which honours the same split as mesh traffic.
  const gw = new istio.IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
  gw.route(productpage, { pathPrefix: '/' });
  gw.route(reviewsService, { pathPrefix: '/api/reviews/', rewrite: '/reviews/' });

  app.synth();
}

step('1-canary-10', reviews(10));
step('2-canary-50', reviews(50));
step('3-canary-100', reviews(100));
step('4-promoted', istio.CanaryService.promote(reviews(100)));
