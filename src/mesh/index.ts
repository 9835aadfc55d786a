export * from './dataplane-mode';
export * from './traffic-source';
export * from './mesh-edge';
export * from './destination';
export * from './mesh';
