/**
 * permissive-mtls: a mesh-wide (root namespace) or namespace-wide PeerAuthentication (no selector) sets mode
 * PERMISSIVE or DISABLE, so the proxies of a whole namespace (or mesh) accept plaintext. Workload-level exceptions
 * (with a selector) and UNSET (inherit) are not reported.
 */
import { RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';
import { paMode, policyScope } from './b-helpers';

export const PERMISSIVE_MTLS: Rule = {
  id: 'permissive-mtls',
  severity: 'warning',
  codes: [],
  summary: 'A mesh-wide or namespace-wide PeerAuthentication is PERMISSIVE or DISABLE (plaintext accepted).',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const pa of ctx.index.security('PeerAuthentication')) {
      if (policyScope(pa).kind !== 'namespace') continue;
      const mode = paMode(pa);
      if (mode !== 'PERMISSIVE' && mode !== 'DISABLE') continue;
      const ns = ObjectIndex.namespaceOf(pa);
      const scope = ns === ctx.settings.rootNamespace ? 'mesh-wide (root namespace)' : `namespace-wide for ${ns}`;
      out.push({
        object: pa,
        message: `PeerAuthentication is ${scope} with mtls.mode ${mode}: workloads accept plaintext traffic, so identities (principals, namespaces) in AuthorizationPolicies cannot be trusted for those connections.`,
        hint: mode === 'PERMISSIVE'
          ? 'Migrate to mtls.mode: STRICT once all clients have sidecars; keep PERMISSIVE only as a workload/port-level exception (selector + portLevelMtls).'
          : 'Use mtls.mode: STRICT; disable mTLS only for the specific workload port that needs it (selector + portLevelMtls).',
      });
    }
    return out;
  },
};
