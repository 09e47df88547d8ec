// Chinese names of the case's codes, for timeline lines, notices and Temporal UI.
import type { Registration } from './schemas';
import type { CaseStage } from './types';

const STAGE_NAMES: Record<CaseStage, string> = {
  'pre-suit': '诉前',
  'in-suit': '诉中',
  'post-judgment': '宣判后',
  closed: '已结案',
};
export const stageName = (s: CaseStage): string => STAGE_NAMES[s];

export function triggerName(t: Registration['trigger']['type']): string {
  return {
    'oral-notice': '口头通知',
    'entrustment-letter': '委托协调化解函',
    'response-notice': '应诉通知书',
    judgment: '生效裁判文书',
  }[t];
}

export function outcomeName(o: string): string {
  const names: Record<string, string> = {
    won: '胜诉',
    lost: '败诉',
    'partly-lost': '部分败诉',
    dismissed: '驳回起诉',
    other: '其他',
  };
  return names[o] ?? o;
}

export function roleName(r: string): string {
  const names: Record<string, string> = {
    principal: '主要负责人',
    deputy: '分管领导',
    'vice-county-head': '分管副县长',
    other: '其他人员',
  };
  return names[r] ?? r;
}

/** Free text cut to fit a timeline line or a notice. */
export const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s);
