export * from './quarterly';
