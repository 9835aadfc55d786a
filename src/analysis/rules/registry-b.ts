/**
 * Rule registry of the scoping, security, workloads-and-namespaces and telemetry groups
 * (engineer B owns this file).
 */
import { Rule } from '../model';
import { APPLICATION_UID_1337 } from './application-uid-1337';
import { AUTHZ_ALLOW_WITH_NEGATIVE_MATCH } from './authz-allow-with-negative-match';
import { AUTHZ_PRINCIPAL_UNKNOWN_SERVICEACCOUNT } from './authz-principal-unknown-serviceaccount';
import { CONFLICTING_PEERAUTHENTICATION } from './conflicting-peerauthentication';
import { CONFLICTING_PORT_PROTOCOLS } from './conflicting-port-protocols';
import { CONFLICTING_SERVICE_TARGET_PORTS } from './conflicting-service-target-ports';
import { CONFLICTING_TELEMETRY } from './conflicting-telemetry';
import { DR_DROPS_MTLS } from './dr-drops-mtls';
import { DR_SHADOWS_MESH_WIDE_POLICY } from './dr-shadows-mesh-wide-policy';
import { INEFFECTIVE_POLICY } from './ineffective-policy';
import { INJECTION_LABEL_CONFLICT } from './injection-label-conflict';
import { MISPLACED_ANNOTATION } from './misplaced-annotation';
import { NAMESPACE_DENY_BLOCKS_GATEWAY } from './namespace-deny-blocks-gateway';
import { PERMISSIVE_MTLS } from './permissive-mtls';
import { PORT_NAME_PROTOCOL } from './port-name-protocol';
import { REQUESTAUTHENTICATION_WITHOUT_AUTHZ } from './requestauthentication-without-authz';
import { SIDECAR_EGRESS_WILDCARD } from './sidecar-egress-wildcard';
import { SIDECAR_OVERLAPPING_SELECTORS } from './sidecar-overlapping-selectors';
import { TELEMETRY_MISSING_PROVIDER } from './telemetry-missing-provider';
import { WORKLOAD_SELECTOR_NO_MATCH } from './workload-selector-no-match';

export const RULES_B: Rule[] = [
  // scoping
  SIDECAR_OVERLAPPING_SELECTORS,
  SIDECAR_EGRESS_WILDCARD,
  WORKLOAD_SELECTOR_NO_MATCH,
  INEFFECTIVE_POLICY,
  // security
  DR_DROPS_MTLS,
  DR_SHADOWS_MESH_WIDE_POLICY,
  PERMISSIVE_MTLS,
  CONFLICTING_PEERAUTHENTICATION,
  NAMESPACE_DENY_BLOCKS_GATEWAY,
  AUTHZ_PRINCIPAL_UNKNOWN_SERVICEACCOUNT,
  AUTHZ_ALLOW_WITH_NEGATIVE_MATCH,
  REQUESTAUTHENTICATION_WITHOUT_AUTHZ,
  // workloads and namespaces
  PORT_NAME_PROTOCOL,
  CONFLICTING_PORT_PROTOCOLS,
  CONFLICTING_SERVICE_TARGET_PORTS,
  INJECTION_LABEL_CONFLICT,
  MISPLACED_ANNOTATION,
  APPLICATION_UID_1337,
  // telemetry
  CONFLICTING_TELEMETRY,
  TELEMETRY_MISSING_PROVIDER,
];
