export * from './mesh-service-base';
export * from './mesh-service';
export * from './mesh-workload';
export * from './egress-controlled-service';
export * from './revisioned-control-plane';
export * from './zero-trust-namespace';
