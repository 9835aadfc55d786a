export * from './protocol';
export * from './mesh-port';
export * from './http-match';
export * from './load-balancer';
export * from './retry-policy';
export * from './traffic-policy';
export * from './istio-enums';
