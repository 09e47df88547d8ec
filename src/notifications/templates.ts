import type { NoticeKind, NoticeRequest } from './types';

/** Names the templates need that the request carries only as ids (resolved from the directory by the caller). */
export interface TemplateContext {
  agencyName?: string;
  recipientName?: string;
}

export interface RenderedNotice {
  subject: string;
  body: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has had no daylight saving since 1991

/** `2026-03-05T01:30:00Z` → `2026年3月5日 09:30` (Asia/Shanghai). Pure: no Intl, no host time zone. */
export function formatShanghai(iso: string): string {
  const d = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}

/** `2026-03-05` → `2026年3月5日24时前`: a period ends at the end of its last day (民事诉讼法第八十五条). */
export const formatDueDate = (date: string): string => `${formatDate(date)}24时前`;

/** `2026-03-05` → `2026年3月5日`. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

const oversightKinds: readonly NoticeKind[] = ['work-reminder-letter', 'interview', 'quarterly-report'];

const kindLabels: Record<NoticeKind, string> = {
  inform: '新案告知',
  report: '案件报告',
  reminder: '期限提醒',
  escalation: '逾期督办',
  'repeated-escalation': '再次督办',
  'substitute-approval-request': '出庭人选审批',
  'hearing-reminder': '开庭提醒',
  'loss-report-review': '败诉原因分析报告审核',
  'county-government-report': '败诉案件报告',
  'delivery-failed': '通知投递失败',
  'major-case': '重大案件研判',
  'work-reminder-letter': '工作提醒函',
  interview: '约谈通知',
  'quarterly-report': '季度通报',
};

export const noticeKindLabel = (kind: NoticeKind): string => kindLabels[kind];

/** The first line of a body, addressed to the recipient when known. */
const greeting = (ctx: TemplateContext): string => (ctx.recipientName ? `${ctx.recipientName}：` : '您好：');

function lines(req: NoticeRequest, ctx: TemplateContext): string[] {
  const f = req.facts;
  const out: string[] = [];
  // The directory's name only: a raw id (`natural-resources`) never reaches people; without a name, the role words.
  const agency = ctx.agencyName;
  // A letter, an interview or a report is not a case: its id is a workflow's (with an agency id in it), not for people.
  const oversight = oversightKinds.includes(req.kind);
  const caseLine = oversight ? `事由：${f.caseTitle}` : `案件：${f.caseTitle}（案件编号 ${req.caseId}）`;
  const push = (cond: unknown, line: string) => {
    if (cond !== undefined && cond !== null && cond !== '') out.push(line);
  };
  out.push(greeting(ctx));
  switch (req.kind) {
    case 'inform':
      out.push(
        `县司法局告知：${agency ?? '贵单位'}涉及一起行政争议，县司法局已登记建档，请立即组织协调化解并按期反馈。`,
      );
      break;
    case 'report':
      out.push(`现将${agency ?? '有关单位'}涉诉情况报告如下，请审阅。`);
      break;
    case 'reminder':
      out.push(`提醒：以下事项即将到期，请${agency ?? '责任单位'}按期办理。`);
      break;
    case 'escalation':
      out.push(`督办：${agency ?? '责任单位'}以下事项已逾期未办，请分管县领导和县司法局督促办理。`);
      break;
    case 'repeated-escalation':
      out.push(`再次督办：${agency ?? '责任单位'}以下事项仍未办结，请予以重视。`);
      break;
    case 'substitute-approval-request':
      out.push(
        `${agency ?? '涉诉行政机关'}主要负责人不能出庭，拟由分管领导出庭应诉，须经分管县领导同意（武政办〔2023〕47号 二）。`,
      );
      break;
    case 'hearing-reminder':
      out.push(
        `开庭提醒：人民法院要求行政机关负责人出庭应诉，${agency ?? '涉诉行政机关'}主要负责人须出庭，做到“既出庭、又出声”。`,
      );
      break;
    case 'loss-report-review':
      out.push(`县司法局已审核${agency ?? '败诉行政机关'}报送的《行政案件败诉原因分析报告》。`);
      break;
    case 'county-government-report':
      out.push(`县司法局报告：${agency ?? '有关单位'}行政案件败诉，败诉原因分析报告经审核后呈报县人民政府。`);
      break;
    case 'delivery-failed':
      out.push('以下通知经多次重试仍未能送达，请核实联系方式并以其他方式通知。');
      break;
    case 'major-case':
      out.push(
        `县司法局将本案列为疑难复杂或有较大社会影响的案件，将组织${agency ?? '涉案单位'}等分析研判，报分管县领导督办。`,
      );
      break;
    case 'work-reminder-letter':
      out.push(`《工作提醒函》：${agency ?? '贵单位'}行政诉讼败诉率或案件数量偏高，请切实加强行政应诉工作。`);
      break;
    case 'interview':
      out.push(`${agency ?? '有关单位'}未有效落实《工作提醒函》，县政府主要领导将予以约谈。`);
      break;
    case 'quarterly-report':
      out.push('全县行政机关行政诉讼工作情况季度通报已发布。');
      break;
  }
  out.push(caseLine);
  push(agency, `涉诉单位：${agency}`);
  push(f.dutyTitle, `事项：${f.dutyTitle}`);
  push(f.dueDate, `办理期限：${f.dueDate ? formatDueDate(f.dueDate) : ''}`);
  if (f.daysLate !== undefined && f.daysLate > 0) out.push(`已逾期${f.daysLate}天`);
  push(f.escalationNumber, `督办次数：第${f.escalationNumber}次`);
  push(f.hearingAt, `开庭时间：${f.hearingAt ? formatShanghai(f.hearingAt) : ''}`);
  push(f.basis, `依据：${f.basis}`);
  push(f.detail, `说明：${f.detail}`);
  // The key is the notice's proof reference: a case notice's starts with the case number. An oversight notice's
  // carries agency ids, so its proof stays in the outbox row only.
  if (!oversight) out.push(`通知编号：${req.key}`);
  out.push('（本通知由行政应诉案件管理系统发出，县司法局）');
  return out;
}

/** Subject and body of a notice, in Chinese. Pure: the same request and names always give the same text. */
export function renderNotice(req: NoticeRequest, ctx: TemplateContext = {}): RenderedNotice {
  const f = req.facts;
  const late = f.daysLate !== undefined && f.daysLate > 0 ? `（逾期${f.daysLate}天）` : '';
  const nth = f.escalationNumber !== undefined && req.kind === 'repeated-escalation' ? `第${f.escalationNumber}次` : '';
  const what = f.dutyTitle ? `：${f.dutyTitle}` : '';
  const subject = `【${nth}${kindLabels[req.kind]}】${f.caseTitle}${what}${late}`;
  return { subject, body: lines(req, ctx).join('\n') };
}
