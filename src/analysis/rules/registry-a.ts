/**
 * Rule registry of the references, routing, gateways and egress groups (report order follows this list).
 */
import { Rule } from '../model';
import { CONFLICTING_GATEWAYS } from './conflicting-gateways';
import { CONFLICTING_SERVICEENTRY_HOST } from './conflicting-serviceentry-host';
import { CONFLICTING_VIRTUALSERVICE_HOST } from './conflicting-virtualservice-host';
import { DEPRECATED_FIELD } from './deprecated-field';
import { DESTINATION_HOST_NOT_FOUND } from './destination-host-not-found';
import { DESTINATION_PORT_NOT_FOUND } from './destination-port-not-found';
import { DESTINATION_PORT_REQUIRED } from './destination-port-required';
import { DESTINATIONRULE_HOST_NOT_FOUND } from './destinationrule-host-not-found';
import { EXPORTTO_LEAK } from './exportto-leak';
import { EXTERNALNAME_SERVICE } from './externalname-service';
import { GATEWAY_DUPLICATE_CERTIFICATE } from './gateway-duplicate-certificate';
import { GATEWAY_NOT_FOUND } from './gateway-not-found';
import { GATEWAY_PORT_NOT_IN_SERVICE } from './gateway-port-not-in-service';
import { INGRESS_ROUTE_IGNORES_SUBSET } from './ingress-route-ignores-subset';
import { JWT_CLAIM_ROUTING_WITHOUT_REQUESTAUTHENTICATION } from './jwt-claim-routing-without-requestauthentication';
import { REGEX_MATCH } from './regex-match';
import { RETRIES_WITHOUT_PER_TRY_TIMEOUT } from './retries-without-per-try-timeout';
import { SERVICEENTRY_RESOLUTION_NONE_WITHOUT_ADDRESSES } from './serviceentry-resolution-none-without-addresses';
import { SERVICEENTRY_TCP_WITHOUT_ADDRESSES } from './serviceentry-tcp-without-addresses';
import { SHORT_HOSTNAME } from './short-hostname';
import { SUBSET_NOT_DEFINED } from './subset-not-defined';
import { SUBSET_SELECTS_NO_PODS } from './subset-selects-no-pods';
import { UNREACHABLE_ROUTE_RULE } from './unreachable-route-rule';
import { VIRTUALSERVICE_HOST_NOT_IN_GATEWAY } from './virtualservice-host-not-in-gateway';
import { WEIGHTS_NOT_100 } from './weights-not-100';

export const RULES_A: Rule[] = [
  // references
  DESTINATION_HOST_NOT_FOUND,
  DESTINATION_PORT_NOT_FOUND,
  DESTINATION_PORT_REQUIRED,
  SUBSET_NOT_DEFINED,
  SUBSET_SELECTS_NO_PODS,
  DESTINATIONRULE_HOST_NOT_FOUND,
  GATEWAY_NOT_FOUND,
  VIRTUALSERVICE_HOST_NOT_IN_GATEWAY,
  // routing
  CONFLICTING_VIRTUALSERVICE_HOST,
  UNREACHABLE_ROUTE_RULE,
  INGRESS_ROUTE_IGNORES_SUBSET,
  WEIGHTS_NOT_100,
  SHORT_HOSTNAME,
  REGEX_MATCH,
  RETRIES_WITHOUT_PER_TRY_TIMEOUT,
  EXPORTTO_LEAK,
  JWT_CLAIM_ROUTING_WITHOUT_REQUESTAUTHENTICATION,
  DEPRECATED_FIELD,
  // gateways
  CONFLICTING_GATEWAYS,
  GATEWAY_DUPLICATE_CERTIFICATE,
  GATEWAY_PORT_NOT_IN_SERVICE,
  // egress
  CONFLICTING_SERVICEENTRY_HOST,
  SERVICEENTRY_RESOLUTION_NONE_WITHOUT_ADDRESSES,
  SERVICEENTRY_TCP_WITHOUT_ADDRESSES,
  EXTERNALNAME_SERVICE,
];
