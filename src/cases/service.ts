// Transitional: the case service lives in src/services/cases.ts; test/cases still imports it from here.
export * from '../services/cases';
