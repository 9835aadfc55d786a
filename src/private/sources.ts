import { IConstruct } from 'constructs';
import { fail, show } from './errors';
import { isDnsLabel, isDnsSubdomain } from './validate';
import { ITrafficSource } from '../mesh/traffic-source';

/** Marks sources whose service account is unknown (they cannot be the source of a grant). */
export const UNKNOWN_IDENTITY = Symbol.for('cdk8s-istio.unknownIdentity');

/** Checks a source handed to `allowFrom` and returns its identity. */
export function checkSource(scope: IConstruct, prop: string, source: ITrafficSource | undefined): { namespace: string; serviceAccount?: string } {
  if (!source || typeof source !== 'object') fail(scope, `${prop} must be a traffic source (a mesh service, a namespace, the ingress gateway or TrafficSource.serviceAccount()), got ${show(source)}`);
  if ((source as unknown as Record<symbol, unknown>)[UNKNOWN_IDENTITY] === true) {
    fail(scope, `${prop}: the service account of ${source.sourceDescription} cannot be determined; give serviceAccountName when importing it`);
  }
  const ns = source.sourceNamespace;
  if (!isDnsLabel(ns)) {
    fail(scope, `${prop}: the namespace of ${source.sourceDescription ?? 'the source'} cannot be determined or is not a DNS-1123 label, got ${show(ns)}`);
  }
  const sa = source.sourceServiceAccount;
  if (sa !== undefined && !isDnsSubdomain(sa)) {
    fail(scope, `${prop}: the service account of ${source.sourceDescription} must be a DNS-1123 subdomain, got ${show(sa)}`);
  }
  return { namespace: ns, serviceAccount: sa };
}
