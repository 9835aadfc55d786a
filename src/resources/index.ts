export * from './virtual-service';
export * from './destination-rule';
