/**
 * The protocols Istio recognises on a port, as Istio spells them in ServiceEntry and Gateway ports.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum Protocol {
  HTTP = 'HTTP',
  HTTP2 = 'HTTP2',
  HTTPS = 'HTTPS',
  GRPC = 'GRPC',
  GRPC_WEB = 'GRPC-WEB',
  TCP = 'TCP',
  TLS = 'TLS',
  MONGO = 'MONGO',
  MYSQL = 'MYSQL',
  REDIS = 'REDIS',
}
