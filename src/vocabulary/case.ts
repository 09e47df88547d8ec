// The case's closed vocabularies, below every layer that names them (registry rows, indicators, the case workflow).
// Literal lists only: no imports, deterministic, safe in workflow code.

export const caseStages = ['pre-suit', 'in-suit', 'post-judgment', 'closed'] as const;
export type CaseStage = (typeof caseStages)[number];

export const enforcementFields = [
  'land-taking',
  'work-injury',
  'market-regulation',
  'planning',
  'public-order',
  'other',
] as const;
export type EnforcementField = (typeof enforcementFields)[number];
