export * from './mesh-service-base';
export * from './mesh-service';
export * from './mesh-workload';
