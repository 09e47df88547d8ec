export * from './period';
export * from './indicators';
export * from './thresholds';
export * from './render';
export * from './quarterly';
export * from './schema';
export * from './store';
export * from './registry-indicators';
