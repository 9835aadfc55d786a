export * from './manifest-validator';
export * from './schema-problem';
