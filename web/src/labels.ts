// Chinese words for the API's identifiers: field names of the registration and event schemas, enum values, stages,
// statuses. Forms are generated from the OpenAPI document; this is only how their fields are called in Chinese.
// test/console/labels.test.ts walks the OpenAPI document: a field, event or enum value without a label here fails it.
import { fieldNames, outcomeNames, stageNames } from '../../src/vocabulary/case';

export const fieldLabels: Record<string, string> = {
  caseId: '案件编号',
  title: '案件名称',
  agencyId: '涉诉行政机关',
  countyGovernmentDefendant: '县政府为被告',
  field: '执法领域',
  plaintiff: '原告',
  trigger: '登记依据',
  type: '类型',
  receivedAt: '收到时间',
  stage: '所处阶段',
  outcome: '结果',
  documentNo: '文书编号',
  summary: '情况说明',
  newEndDate: '延长至',
  partiesConsented: '各方当事人同意延期',
  courtInformedOn: '告知人民法院日期',
  result: '协调化解结果',
  process: '协调化解过程',
  demands: '双方诉求',
  disputeFocus: '争议焦点',
  failureReasons: '无法协调化解原因',
  description: '纠正情况',
  reason: '理由',
  hearingId: '庭审编号',
  scheduledAt: '开庭时间',
  headAppearanceRequired: '人民法院要求负责人出庭',
  appearing: '出庭人员',
  name: '姓名',
  viceCountyHead: '出庭的副县长',
  approved: '审批意见',
  comment: '意见',
  appeared: '是否出庭',
  who: '出庭人姓名',
  role: '出庭人身份',
  spoke: '是否发言',
  viceCountyHeadAppeared: '副县长是否出庭',
  note: '备注',
  decision: '审核结论',
  comments: '审核意见',
  measures: '整改措施',
  settled: '已诉前化解（案件办结）',
  occurredAt: '实际办理时间（可选）',
  rulingOn: '准予撤诉裁定日期',
  record: '出庭情况',
  instance: '审级',
  documentType: '文书类型',
  filedOn: '上诉日期',
  by: '上诉人',
  effectiveOn: '生效日期',
  changes: '更正内容',
  triggerReceivedAt: '登记依据收到时间',
};

/** Where one event calls a field differently from the others (e.g. the reason of a cancelled hearing). */
export const eventFieldLabels: Record<string, Record<string, string>> = {
  'appeal-decision': { decision: '是否上诉', reason: '理由' },
  'hearing-rescheduled': { scheduledAt: '新的开庭时间', reason: '改期原因' },
  'hearing-cancelled': { reason: '取消原因' },
  withdrawn: { reason: '撤诉原因' },
  'registration-amended': { reason: '更正理由' },
  'registration-voided': { reason: '作废理由' },
};

/** The switch that opens an optional group of fields (its inner required fields count only when it is on). */
export const optionalGroupLabels: Record<string, string> = {
  record: '补登出庭情况（庭审已举行）',
};

export const enumLabels: Record<string, Record<string, string>> = {
  // The API's own names (src/vocabulary/case.ts), so the console, the notices and the reports say the same.
  stage: { ...stageNames },
  field: { ...fieldNames },
  trigger: {
    'oral-notice': '口头通知行政起诉事项（诉前）',
    'entrustment-letter': '《委托协调化解函》',
    'response-notice': '应诉通知书（诉中）',
    judgment: '裁判文书（判后）',
  },
  outcome: { ...outcomeNames, resolved: '化解成功', failed: '化解不成' },
  appearing: { principal: '主要负责人', deputy: '其他负责人（需分管县领导批准）' },
  role: { principal: '主要负责人', deputy: '其他负责人', 'vice-county-head': '副县长', other: '其他人员' },
  // loss-report-review: approved | returned; appeal-decision: appeal | accept.
  decision: { approved: '通过', returned: '退回修改', appeal: '提起上诉', accept: '不上诉（服从裁判）' },
  instance: { first: '一审', second: '二审', retrial: '再审' },
  documentType: { judgment: '判决书', ruling: '裁定书' },
  by: { agency: '本机关', plaintiff: '原告', 'third-party': '第三人' },
};

export const stageLabel = (s?: string | null) => (s ? (enumLabels.stage![s] ?? '其他') : '');
export const fieldLabel = (f?: string | null) => (f ? (enumLabels.field![f] ?? '其他') : '');

export const eventLabels: Record<string, string> = {
  'presuit-feedback': '诉前反馈',
  'entrustment-letter': '收到委托协调化解函',
  'mediation-progress': '通报协调化解进展',
  'mediation-extension': '协调化解延期',
  'mediation-result': '协调化解结果',
  'response-notice': '收到应诉通知书',
  'insuit-report': '诉中报告',
  'self-correction': '自行纠正',
  withdrawn: '撤诉',
  'hearing-scheduled': '登记开庭',
  'appearance-plan': '出庭方案',
  'substitute-approval': '委托出庭审批',
  'appearance-record': '出庭记录',
  judgment: '收到裁判文书',
  filing: '裁判文书备案',
  'loss-analysis-report': '败诉原因分析报告',
  'loss-report-review': '审核分析报告',
  'major-case': '列为重大案件',
  'recalculate-deadlines': '重新计算期限',
  'defence-submitted': '提交答辩状及证据',
  'hearing-rescheduled': '开庭改期',
  'hearing-cancelled': '取消开庭',
  'appeal-filed': '登记上诉',
  'judgment-effective': '裁判文书生效',
  'appeal-decision': '上诉决定',
  'registration-amended': '更正登记信息',
  'registration-voided': '作废误登记案件',
};

/** The case event a duty is done by, by the duty's rule. */
export const eventForRule: Record<string, string> = {
  'presuit-oral-feedback': 'presuit-feedback',
  'insuit-report': 'insuit-report',
  'mediation-period': 'mediation-result',
  'mediation-weekly-progress': 'mediation-progress',
  'judgment-filing': 'filing',
  'loss-analysis-report': 'loss-analysis-report',
  'appearance-plan': 'appearance-plan',
  'substitute-approval': 'substitute-approval',
  'defence-and-evidence': 'defence-submitted',
  'appeal-period-judgment': 'appeal-decision',
  'appeal-period-ruling': 'appeal-decision',
  'appeal-decision': 'appeal-decision',
};

export const dutyStatusLabels: Record<string, string> = {
  open: '办理中',
  done: '已完成',
  overdue: '已逾期',
  waived: '已免除',
  superseded: '已终止（无需办理）',
};

export const noticeKindLabels: Record<string, string> = {
  inform: '告知',
  report: '报告',
  reminder: '到期提醒',
  escalation: '逾期督办',
  'repeated-escalation': '再次督办',
  'substitute-approval-request': '委托出庭待审批',
  'hearing-reminder': '开庭提醒',
  'loss-report-review': '分析报告审核',
  'county-government-report': '报县政府',
  'delivery-failed': '送达失败',
  'major-case': '重大案件',
  'work-reminder-letter': '工作提醒函',
  interview: '约谈',
  'quarterly-report': '季度通报',
};
export const noticeStatusLabels: Record<string, string> = {
  pending: '待发送',
  sending: '发送中',
  delivered: '已送达',
  failed: '发送失败',
  undeliverable: '无法送达（无可用联系方式）',
};
export const channelLabels: Record<string, string> = {
  email: '电子邮件',
  wecom: '企业微信',
  dingtalk: '钉钉',
  webhook: 'Webhook 接口',
  log: '平台记录',
  none: '无可用渠道',
};

export const roleLabels: Record<string, string> = {
  bureau: '县司法局',
  operator: '运维人员',
  agency: '涉诉行政机关',
  leader: '分管县领导',
};

// The API's refusals, for the ones it still words in English: shown to people in Chinese, the original kept for
// the record. A message that is already Chinese passes through unchanged.
const refusals: [RegExp, string][] = [
  [/^no pre-suit feedback is awaited/, '本案没有待反馈的诉前事项'],
  [/^no mediation is open/, '本案没有进行中的协调化解'],
  [/^the court cannot have been informed in the future/, '告知人民法院的日期不能晚于今天'],
  [/^no in-suit report is awaited/, '本案没有待办的诉中报告，无需重复报告'],
  [/^self-correction is recorded before judgment/, '自行纠正只能在判决前登记'],
  [/^a case after judgment cannot be withdrawn/, '判决后的案件不能登记撤诉'],
  [/^hearings are scheduled while the suit is pending/, '只有诉中案件可以登记开庭'],
  [/^the hearing must be in the future/, '开庭时间必须晚于现在'],
  [/^the court did not require the head to appear/, '人民法院未要求负责人出庭本次庭审'],
  [/^the hearing is already recorded/, '该庭审已登记出庭记录'],
  [/^the county government is the defendant/, '县政府为被告时，须填写出庭的副县长'],
  [/^no deputy appearance awaits approval/, '没有待审批的委托出庭'],
  [/^the deputy appearance was already decided/, '该委托出庭已审批，不能重复审批'],
  [/^the hearing has not taken place yet/, '庭审尚未举行'],
  [/^no judgment filing is awaited/, '本案没有待备案的裁判文书'],
  [/^no loss-analysis report is awaited/, '本案没有待提交的败诉原因分析报告'],
  [/^the report is already approved/, '该报告已审核通过'],
  [/^no loss-analysis report awaits review/, '没有待审核的败诉原因分析报告'],
  [/^the case is already flagged as major/, '本案已列为重大案件'],
  [/^operators read only/, '运维人员只能查看，不能办理'],
  [/^your role may not do this/, '您的角色无权办理此事项'],
  [/^a deputy appearing needs the principal head/, '委托其他负责人出庭须写明主要负责人不能出庭的理由'],
  [/^a report sent back needs comments/, '退回报告须填写审核意见'],
  [/^an extension needs the consent of all parties/, '延期须经各方当事人同意'],
  [/^an ISO 8601 instant/, '请填写完整的日期和时间'],
  [/^a date as YYYY-MM-DD/, '请填写日期'],
  [/^not a real (calendar date|instant)/, '日期不存在'],
  [/^a case id is 3 to 64/, '案件编号为 3 至 64 位字母、数字或短横线'],
  [/^the case id is already registered|already (registered|started|exists)/, '该案件编号已登记'],
  [/^Too small|expected string to have >=1/i, '必填'],
  [/^Too big|expected string to have <=/i, '内容过长'],
  [/^Invalid input|^Invalid option|^Invalid enum/i, '请从列表中选择'],
  [/^a valid bearer token is required|unauthorized/i, '请先登录'],
];

export function zh(message: string | undefined): string {
  if (!message) return '操作未成功';
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  for (const [pattern, chinese] of refusals) if (pattern.test(message)) return chinese;
  return `操作被拒绝（${message}）`;
}
