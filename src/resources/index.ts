export * from './virtual-service';
