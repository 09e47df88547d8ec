import type { CaseStage, EnforcementField, JudgmentOutcome } from '../workflows/case/types';

// Chinese names of the case vocabulary, for documents, spreadsheets and calendar entries (codes stay English).

export const fieldNames: Record<EnforcementField, string> = {
  'land-taking': '征地拆迁',
  'work-injury': '工伤认定',
  'market-regulation': '市场监管',
  planning: '城乡规划',
  'public-order': '治安管理',
  other: '其他',
};

export const stageNames: Record<CaseStage, string> = {
  'pre-suit': '诉前',
  'in-suit': '诉中',
  'post-judgment': '判后',
  closed: '已结案',
};

export const outcomeNames: Record<JudgmentOutcome, string> = {
  won: '胜诉',
  lost: '败诉',
  'partly-lost': '部分败诉',
  dismissed: '驳回起诉',
  other: '其他',
};

export const triggerNames = {
  'oral-notice': '口头通知行政起诉事项（诉前）',
  'entrustment-letter': '委托协调化解函',
  'response-notice': '应诉通知书（诉中）',
  judgment: '生效裁判文书（判后）',
} as const;
export type TriggerType = keyof typeof triggerNames;

/** The code whose Chinese name is `name` (a spreadsheet cell), or undefined. */
export function codeOf<K extends string>(names: Record<K, string>, name: string): K | undefined {
  const v = name.trim();
  return (Object.keys(names) as K[]).find((k) => names[k] === v || k === v);
}
