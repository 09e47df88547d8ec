// Chinese names of the case's codes, for timeline lines, notices, refusals and Temporal UI: texts for people never
// show a raw id (an agency id, a field or trigger code, a stage).
import { formatDate, formatShanghai } from '../../time/shanghai';
import { fieldName, outcomeNames, stageNames } from '../../vocabulary/case';
import type { CaseEventType, Registration } from './schemas';
import type { CaseStage, JudgmentDocumentType, JudgmentInstance } from './types';

export const stageName = (s: CaseStage): string => stageNames[s];

export function triggerName(t: Registration['trigger']['type']): string {
  return {
    'oral-notice': '口头通知',
    'entrustment-letter': '委托协调化解函',
    'response-notice': '应诉通知书',
    judgment: '裁判文书',
  }[t];
}

export { fieldName };

export const outcomeName = (o: string): string => outcomeNames[o as keyof typeof outcomeNames] ?? '其他';

export function roleName(r: string): string {
  const names: Record<string, string> = {
    principal: '主要负责人',
    deputy: '分管领导',
    'vice-county-head': '分管副县长',
    other: '其他人员',
  };
  return names[r] ?? r;
}

/** 一审判决, 二审裁定, 再审判决… */
export const documentName = (instance: JudgmentInstance, type: JudgmentDocumentType): string =>
  `${{ first: '一审', second: '二审', retrial: '再审' }[instance]}${type === 'ruling' ? '裁定' : '判决'}`;

export const appellantName = (by: string): string =>
  ({ agency: '本机关', plaintiff: '原告', 'third-party': '第三人' })[by] ?? '当事人';

/** The registration's correctable items, by the name the bureau knows them. */
export const amendableName = (k: string): string =>
  ({
    title: '案件名称',
    agencyId: '涉诉单位',
    field: '执法领域',
    triggerReceivedAt: '登记材料收到时间',
    outcome: '裁判结果',
  })[k] ?? k;

const EVENT_NAMES: Record<CaseEventType, string> = {
  'presuit-feedback': '反馈诉前协调化解情况',
  'entrustment-letter': '登记《委托协调化解函》',
  'mediation-progress': '通报协调化解进展',
  'mediation-extension': '延长协调化解期限',
  'mediation-result': '反馈协调化解结果',
  'response-notice': '登记应诉通知书',
  'insuit-report': '报告应诉情况',
  'defence-submitted': '登记已提交答辩状及证据',
  'self-correction': '登记主动纠正',
  withdrawn: '登记撤诉',
  'hearing-scheduled': '登记开庭',
  'hearing-rescheduled': '变更开庭时间',
  'hearing-cancelled': '取消开庭',
  'appearance-plan': '提交出庭方案',
  'substitute-approval': '审批代为出庭',
  'appearance-record': '登记庭审出庭情况',
  judgment: '登记裁判文书',
  'appeal-filed': '登记上诉',
  'judgment-effective': '登记裁判生效',
  'appeal-decision': '作出是否上诉的决定',
  filing: '备案裁判文书',
  'loss-analysis-report': '报送败诉原因分析报告',
  'loss-report-review': '审核败诉原因分析报告',
  'major-case': '列为重大案件',
  'recalculate-deadlines': '重新计算期限',
  'registration-amended': '更正登记信息',
  'registration-voided': '作废误登记案件',
};
export const eventName = (t: CaseEventType): string => EVENT_NAMES[t];

/** A Shanghai date as people read a deadline: "2026年3月5日24时前". */
export const dueText = (dueDate: string): string => `${formatDate(dueDate)}24时前`;
export { formatDate as dateText, formatShanghai as momentText };

/** Free text cut to fit a timeline line or a notice. */
export const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s);
