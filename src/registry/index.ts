export * from './case-snapshot';
export * from './db';
export * from './schema';
export * from './store';
