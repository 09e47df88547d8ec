// Chinese names of the case vocabulary, for documents, spreadsheets and calendar entries (codes stay English).

// One source for the names of stages, fields and outcomes: src/vocabulary.
export { fieldNames, outcomeNames, stageNames } from '../vocabulary/case';

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
