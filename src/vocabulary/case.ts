// The case's closed vocabularies, below every layer that names them (registry rows, indicators, the case workflow).
// Literal lists only: no imports, deterministic, safe in workflow code.

// 'voided': entered by mistake; its timers stop and it is left out of every indicator, but the id stays reserved.
export const caseStages = ['pre-suit', 'in-suit', 'post-judgment', 'closed', 'voided'] as const;
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

// Names for people: texts shown to people (notices, Temporal UI details, API refusals) never show the ids above.
export const stageNames: Record<CaseStage, string> = {
  'pre-suit': '诉前',
  'in-suit': '诉中',
  'post-judgment': '判后',
  closed: '已结案',
  voided: '已作废（误登记）',
};

export const fieldNames: Record<EnforcementField, string> = {
  'land-taking': '征地拆迁',
  'work-injury': '工伤认定',
  'market-regulation': '市场监管',
  planning: '城乡规划',
  'public-order': '治安管理',
  other: '其他',
};

export const triggerTypes = ['oral-notice', 'entrustment-letter', 'response-notice', 'judgment'] as const;
export type TriggerType = (typeof triggerTypes)[number];

export const triggerNames: Record<TriggerType, string> = {
  'oral-notice': '口头通知行政起诉事项',
  'entrustment-letter': '《委托协调化解函》',
  'response-notice': '应诉通知书',
  judgment: '裁判文书',
};

/** A name for a field id, or 其他 for anything unknown (never the raw id). */
export const fieldName = (field: string): string => fieldNames[field as EnforcementField] ?? '其他';
/** A name for a trigger type, or 登记材料 for anything unknown (never the raw id). */
export const triggerName = (type: string): string => triggerNames[type as TriggerType] ?? '登记材料';

export const judgmentOutcomes = ['won', 'lost', 'partly-lost', 'dismissed', 'other'] as const;
export type JudgmentOutcomeCode = (typeof judgmentOutcomes)[number];
export const outcomeNames: Record<JudgmentOutcomeCode, string> = {
  won: '胜诉',
  lost: '败诉',
  'partly-lost': '部分败诉',
  dismissed: '驳回起诉',
  other: '其他',
};
