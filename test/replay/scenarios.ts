import type { Principal } from '../../src/access';
import type { CaseService } from '../../src/services/cases';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registrationSchema, type CaseEvent } from '../../src/workflows/case/schemas';

const DAY = 86_400_000;
const bureau: Principal = { role: 'bureau' };
const agency: Principal = { role: 'agency', agencyId: 'natural-resources' };
const leader: Principal = { role: 'leader', leaderId: 'vice-head-li', agencyIds: ['natural-resources', 'housing'] };

export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  cases: CaseService;
}

/** The case's main paths, driven as people would: each ends with the case closed or at a stable point. */
export const scenarios: Record<string, (ctx: ScenarioContext, caseId: string) => Promise<void>> = {
  /** In-suit report ignored: reminder, escalation, repeated escalation, done late; hearing with the principal; won. */
  async 'late-report-then-won'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'response-notice', receivedAt: await now() }), bureau);
    await advance(env, 12 * DAY);
    await event({ type: 'insuit-report', summary: '逾期报告' });
    await event(
      { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt: await now(20 * DAY), headAppearanceRequired: true },
      bureau,
    );
    await event({ type: 'appearance-plan', hearingId: 'h1', appearing: 'principal', name: '刘局长' });
    await advance(env, 21 * DAY);
    await event({
      type: 'appearance-record',
      hearingId: 'h1',
      appeared: true,
      who: '刘局长',
      role: 'principal',
      spoke: true,
    });
    await event(
      {
        type: 'judgment',
        receivedAt: await now(),
        outcome: 'won',
        documentNo: '（2026）闽0824行初3号',
        instance: 'first',
        documentType: 'judgment',
      },
      bureau,
    );
    // No appeal: the judgment takes effect when its period ends, and only then is filing owed.
    await advance(env, 17 * DAY);
    await event({ type: 'filing', documentNo: '（2026）闽0824行初3号' });
  },

  /** Pre-suit mediation extended, then failed; suit; deputy approved; lost; loss report sent back once; approved. */
  async 'mediation-failed-then-lost'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const date = async (ms = 0) => (await now(ms + 8 * 3600_000)).slice(0, 10);
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'entrustment-letter', receivedAt: await now() }), bureau);
    await event({ type: 'mediation-progress', summary: '第一周：约谈双方' });
    await advance(env, 8 * DAY);
    await event({ type: 'mediation-progress', summary: '第二周：现场勘查' });
    await event({
      type: 'mediation-extension',
      newEndDate: await date(45 * DAY),
      partiesConsented: true,
      courtInformedOn: await date(),
    });
    await advance(env, 10 * DAY);
    await event({
      type: 'mediation-result',
      result: {
        outcome: 'failed',
        process: '三次协调',
        demands: '原告要求提高补偿标准；被告坚持原决定',
        disputeFocus: '补偿标准',
        failureReasons: '双方分歧过大',
      },
    });
    await event({ type: 'response-notice', receivedAt: await now() });
    await event({ type: 'insuit-report', summary: '已报告' });
    await event({ type: 'self-correction', description: '补正送达程序' });
    await event({ type: 'major-case', reason: '涉及群体性征收' }, bureau);
    await event(
      { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt: await now(15 * DAY), headAppearanceRequired: true },
      bureau,
    );
    await event({
      type: 'appearance-plan',
      hearingId: 'h1',
      appearing: 'deputy',
      name: '陈副局长',
      reason: '主要负责人参加省里会议',
    });
    await event({ type: 'substitute-approval', hearingId: 'h1', approved: true, comment: '同意' }, leader);
    await advance(env, 16 * DAY);
    await event({
      type: 'appearance-record',
      hearingId: 'h1',
      appeared: true,
      who: '陈副局长',
      role: 'deputy',
      spoke: true,
    });
    await event(
      {
        type: 'judgment',
        receivedAt: await now(),
        outcome: 'partly-lost',
        instance: 'first',
        documentType: 'judgment',
      },
      bureau,
    );
    await event({ type: 'appeal-decision', decision: 'accept', reason: '服从判决，整改执法程序' });
    await advance(env, 17 * DAY);
    await event({ type: 'filing', documentNo: '（2026）闽0824行初9号' });
    await event({ type: 'loss-analysis-report', summary: '法制审核缺失' });
    await event({ type: 'loss-report-review', decision: 'returned', comments: '原因分析不深入' }, bureau);
    await event({ type: 'loss-analysis-report', summary: '补充：证据收集不规范' });
    await event({ type: 'loss-report-review', decision: 'approved' }, bureau);
  },

  /** Oral notice fed back, pre-suit mediation resolved: closed before any suit. */
  async 'presuit-resolved'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'oral-notice', receivedAt: await now() }), bureau);
    await event({ type: 'presuit-feedback', summary: '已引导当事人调解' });
    await event({ type: 'entrustment-letter', receivedAt: await now() }, bureau);
    await advance(env, 9 * DAY);
    await event({ type: 'mediation-result', result: { outcome: 'resolved', summary: '达成和解协议' } });
  },

  /** The county government sued: both the vice county head and the lead unit's head; a deputy refused; withdrawn. */
  async 'county-government-withdrawn'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const date = async (ms = 0) => (await now(ms + 8 * 3600_000)).slice(0, 10);
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(
      reg(caseId, { type: 'response-notice', receivedAt: await now() }, { countyGovernmentDefendant: true }),
      bureau,
    );
    await event({ type: 'insuit-report' });
    await event(
      { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt: await now(10 * DAY), headAppearanceRequired: true },
      bureau,
    );
    await event({
      type: 'appearance-plan',
      hearingId: 'h1',
      appearing: 'deputy',
      name: '陈副局长',
      reason: '出差',
      viceCountyHead: '李副县长',
    });
    await event({ type: 'substitute-approval', hearingId: 'h1', approved: false, comment: '须主要负责人出庭' }, leader);
    await advance(env, 8 * DAY);
    await event({ type: 'withdrawn', rulingOn: await date(), reason: '原告撤诉' });
    await event({ type: 'filing', documentNo: '（2026）闽0824行初15号' });
  },

  /** A hearing moved, then another cancelled; the plan follows the new date; the principal appears. */
  async 'hearing-rescheduled'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'response-notice', receivedAt: await now() }), bureau);
    await event({ type: 'insuit-report', summary: '已报告' });
    await event({ type: 'defence-submitted', note: '答辩状及证据已提交' });
    await event(
      { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt: await now(10 * DAY), headAppearanceRequired: true },
      bureau,
    );
    await advance(env, 3 * DAY);
    await event({
      type: 'hearing-rescheduled',
      hearingId: 'h1',
      scheduledAt: await now(30 * DAY),
      reason: '法院排期调整',
    });
    await event(
      { type: 'hearing-scheduled', hearingId: 'h2', scheduledAt: await now(40 * DAY), headAppearanceRequired: true },
      bureau,
    );
    await event({ type: 'hearing-cancelled', hearingId: 'h2', reason: '合并审理' });
    await advance(env, 20 * DAY);
    await event({ type: 'appearance-plan', hearingId: 'h1', appearing: 'principal', name: '刘局长' });
    await advance(env, 11 * DAY);
    await event({
      type: 'appearance-record',
      hearingId: 'h1',
      appeared: true,
      who: '刘局长',
      role: 'principal',
      spoke: true,
    });
  },

  /** A first-instance loss appealed by the agency; second instance won; filed from its receipt; closed. */
  async 'appeal-then-second-instance'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const date = async (ms = 0) => (await now(ms + 8 * 3600_000)).slice(0, 10);
    const event = (e: CaseEvent, p: Principal = agency) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'response-notice', receivedAt: await now() }), bureau);
    await event({ type: 'insuit-report', summary: '已报告' });
    await advance(env, 20 * DAY);
    await event({ type: 'defence-submitted', occurredAt: await now(-8 * DAY) });
    await event(
      { type: 'judgment', receivedAt: await now(), outcome: 'lost', instance: 'first', documentType: 'judgment' },
      bureau,
    );
    await advance(env, 5 * DAY);
    await event({ type: 'appeal-decision', decision: 'appeal', reason: '事实认定有误' });
    await event({ type: 'appeal-filed', filedOn: await date(), by: 'agency' });
    await advance(env, 30 * DAY);
    await event(
      { type: 'judgment', receivedAt: await now(), outcome: 'won', instance: 'second', documentType: 'judgment' },
      bureau,
    );
    await event({ type: 'filing', documentNo: '（2026）闽08行终21号' });
  },

  /** Registered against the wrong agency, corrected by the bureau, then voided as a duplicate. */
  async 'corrected-then-voided'({ env, cases }, caseId) {
    const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
    const event = (e: CaseEvent, p: Principal = bureau) => cases.applyEvent(caseId, e, p);
    await cases.register(reg(caseId, { type: 'response-notice', receivedAt: await now() }), bureau);
    await advance(env, 2 * DAY);
    await event({
      type: 'registration-amended',
      changes: { agencyId: 'hrss', field: 'work-injury' },
      reason: '录错单位',
    });
    await event({ type: 'registration-voided', reason: '与另一案件重复登记' });
  },
};

function reg(caseId: string, trigger: object, extra: object = {}) {
  return registrationSchema.parse({
    caseId,
    title: '示例行政案件',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '某甲',
    trigger,
    ...extra,
  });
}

/** Skips time a day at a time, so every timer on the way fires in order. */
export async function advance(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= DAY) await env.sleep(Math.min(DAY, left));
}
