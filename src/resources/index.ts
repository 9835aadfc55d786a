export * from './virtual-service';
export * from './destination-rule';
export * from './authorization-policy';
export * from './peer-authentication';
export * from './sidecar';
export * from './service-entry';
export * from './gateway';
export * from './request-authentication';
