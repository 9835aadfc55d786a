export * from './finding';
export * from './analysis-report';
export * from './mesh-analyzer';
export * from './plugin';
