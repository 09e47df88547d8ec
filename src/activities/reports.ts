import { ApplicationFailure } from '@temporalio/activity';
import type { DeadlineEngine } from '../deadlines';
import { findAgency, type Directory } from '../directory';
import type { Logger } from '../log';
import type { RecipientRef } from '../notifications/types';
import type { RegistryStore } from '../registry';
// The result types are the oversight workflows' contract: they declare what they call, this implements it.
import type { GeneratedReport, InterviewNotice, QuarterTiming } from '../workflows/oversight/activities';
import {
  breachesOf,
  letterName,
  computeIndicators,
  decideQuarter,
  nextQuarter,
  parseReportConfig,
  previousQuarter,
  quarterKey,
  quarterName,
  quarterOf,
  quarterPeriod,
  renderQuarterlyReport,
  renderReminderLetter,
  reportId as reportIdOf,
  ReportStore,
  shanghaiDateOf,
  shanghaiMidnight,
  type Period,
  type Breach,
  type Quarter,
  type QuarterlyReportData,
  type ReportConfig,
  type ReportConfigInput,
} from '../reports';
import type { ReminderLetterInput, ReminderLetterState } from '../workflows/oversight/messages';

export interface ReportActivityDeps {
  directory: Directory;
  deadlines: DeadlineEngine;
  log: Logger;
  store: RegistryStore;
  /** Thresholds and escalation cadence (validated; defaults when omitted). */
  reports?: ReportConfigInput;
}

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Activities of the oversight workflows: timing from the working calendar, figures and letters from the registry. */
export function createReportActivities(deps: ReportActivityDeps) {
  const config: ReportConfig = parseReportConfig(deps.reports ?? {});
  const reportStore = new ReportStore(deps.store);
  const reports = () => reportStore;

  return {
    /** When a quarter's report is due: 09:00 Shanghai on the first working day after the quarter. */
    async quarterTiming(input: { year: number; quarter: Quarter }): Promise<QuarterTiming> {
      const period = quarterPeriod(input.year, input.quarter);
      let day = shanghaiDateOf(period.to);
      for (let i = 0; i < 40 && !deps.deadlines.isWorkingDay(day).working; i++) day = addDays(day, 1);
      const runAt = new Date(Date.parse(shanghaiMidnight(day)) + 9 * 3600_000).toISOString();
      return { ...input, period, firstWorkingDay: day, runAt };
    },

    /** The quarter that ended most recently before an instant (the one a schedule firing reports on). */
    async quarterJustEnded(at: string): Promise<{ year: number; quarter: Quarter }> {
      const q = quarterOf(at);
      return previousQuarter(q.year, q.quarter);
    },

    /**
     * Computes the quarter's indicators, decides letters and interviews, renders and stores the report (a rerun
     * replaces it), marks last quarter's ignored letters as escalated, and answers what the workflow must send.
     */
    async generateQuarterlyReport(input: {
      year: number;
      quarter: Quarter;
      generatedAt: string;
    }): Promise<GeneratedReport> {
      const { year, quarter, generatedAt } = input;
      const store = reports();
      const period = quarterPeriod(year, quarter);
      const rows = await store.indicatorRows();
      const indicatorsOf = (p: Period) =>
        computeIndicators(rows, {
          period: p,
          asOf: generatedAt,
          population: deps.directory.county.population,
          cityAverageLitigationRate: deps.directory.county.cityAverageLitigationRate,
          agencyIds: deps.directory.agencies.map((a) => a.id),
        });
      const indicators = indicatorsOf(period);
      // 约谈: the letters of the quarter N reports back, and each agency's breaches in the reports in between.
      let letterQuarter = { year, quarter };
      for (let i = 0; i < config.interviewAfterReports; i++)
        letterQuarter = previousQuarter(letterQuarter.year, letterQuarter.quarter);
      const earlierLetters = await store.lettersOfQuarter(letterQuarter.year, letterQuarter.quarter);
      const between = await breachesBetween(store, letterQuarter, { year, quarter }, indicatorsOf, config);
      const decisions = decideQuarter(year, quarter, indicators, earlierLetters, config, between);
      const agencyNames = Object.fromEntries(deps.directory.agencies.map((a) => [a.id, a.name]));
      const data: QuarterlyReportData = {
        id: reportIdOf(year, quarter),
        year,
        quarter,
        generatedAt,
        countyName: deps.directory.county.name,
        agencyNames,
        leaderNames: Object.fromEntries(deps.directory.leaders.map((l) => [l.id, l.name])),
        indicators,
        ...decisions,
      };
      const rendered = renderQuarterlyReport(data);
      const saved = await store.saveReport({
        id: data.id,
        year,
        quarter,
        period,
        generatedAt,
        figures: data,
        markdown: rendered.markdown,
        html: rendered.html,
      });
      for (const i of decisions.interviews)
        await store.markInterview(i.previousLetterId, quarterKey(year, quarter), generatedAt);

      const letters: ReminderLetterInput[] = [];
      for (const l of decisions.letters) {
        const agency = findAgency(deps.directory, l.agencyId);
        const deadline = deps.deadlines.compute({ rule: 'reminder-letter-answer', from: generatedAt });
        const counting = deadline.counting;
        const answerDays = `收函之日起${counting.amount}${counting.method === 'working-days' ? '个工作日' : counting.method === 'months' ? '个月' : '日'}内（${deadline.dueDate} 前）`;
        letters.push({
          letterId: l.letterId,
          year,
          quarter,
          agencyId: l.agencyId,
          agencyName: agency?.name ?? l.agencyId,
          leaderId: agency?.leaderId ?? 'unknown',
          issuedAt: generatedAt,
          breaches: l.breaches,
          letter: renderReminderLetter({
            letterId: l.letterId,
            year,
            quarter,
            agencyName: agency?.name ?? l.agencyId,
            breaches: l.breaches,
            issuedAt: generatedAt,
            answerDays,
          }),
          deadline,
          escalationEveryWorkingDays: config.escalationEveryWorkingDays,
        });
      }
      const interviews: InterviewNotice[] = decisions.interviews.map((i) => {
        const agency = findAgency(deps.directory, i.agencyId);
        return {
          agencyId: i.agencyId,
          leaderId: agency?.leaderId ?? 'unknown',
          agencyName: agency?.name ?? i.agencyId,
          previousLetterId: i.previousLetterId,
          detail: `${quarterName(year, quarter)}通报：${agency?.name ?? '该单位'}收到${letterName(i.previousLetterId)}后未有效落实，${i.breaches.map((b) => b.text).join('；')}，依照武政办〔2023〕47号 五，提请县政府主要领导约谈。`,
        };
      });
      const c = indicators.county;
      const summary =
        `${quarterName(year, quarter)}：新增案件${c.registered.total.count}件，审结${c.lossRate.denominator.count}件，败诉率${c.lossRate.rate === null ? '—' : `${(c.lossRate.rate * 100).toFixed(1)}%`}，` +
        `负责人出庭应诉率${c.appearanceRate.rate === null ? '—' : `${(c.appearanceRate.rate * 100).toFixed(1)}%`}；发出《工作提醒函》${letters.length}份，提请约谈${interviews.length}家。` +
        `全文见 /api/reports/quarterly/${year}/${quarter}?format=html`;
      const recipients: RecipientRef[] = [
        'bureau',
        ...deps.directory.leaders.map((l) => `leader:${l.id}` as const),
        ...deps.directory.agencies.map((a) => `agency:${a.id}` as const),
      ];
      deps.log.info(
        { reportId: data.id, generation: saved.generation, letters: letters.length, interviews: interviews.length },
        'quarterly report generated',
      );
      return {
        reportId: data.id,
        year,
        quarter,
        generatedAt,
        generation: saved.generation,
        title: rendered.title,
        summary,
        recipients,
        letters,
        interviews,
      };
    },

    /** Files a letter's state in the registry (idempotent upsert), so the next report finds unanswered letters. */
    async recordReminderLetter(state: ReminderLetterState): Promise<void> {
      if (!state.letterId) throw ApplicationFailure.nonRetryable('a letter needs an id', 'InvalidLetter');
      await reports().recordLetter({
        id: state.letterId,
        year: state.year,
        quarter: state.quarter,
        agencyId: state.agencyId,
        leaderId: state.leaderId,
        issuedAt: state.issuedAt,
        dueDate: state.duty.dueDate,
        dueAt: state.duty.dueAt,
        status: state.status,
        acknowledgedAt: state.acknowledged?.at ?? null,
        acknowledgedBy: state.acknowledged?.by ?? null,
        answeredAt: state.answer?.at ?? null,
        answeredBy: state.answer?.by ?? null,
        answer: state.answer?.measures ?? null,
        overdueSince: state.duty.overdueSince ?? null,
        escalations: state.duty.escalations,
        breaches: state.breaches,
        letter: state.letter,
      });
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;

/**
 * Each agency's breaches in the quarters strictly between a letter's quarter and this one, oldest first: as the
 * stored report said them, or computed now when a report of that quarter was never generated.
 */
async function breachesBetween(
  store: ReportStore,
  from: { year: number; quarter: Quarter },
  to: { year: number; quarter: Quarter },
  indicatorsOf: (p: Period) => ReturnType<typeof computeIndicators>,
  config: ReportConfig,
): Promise<Record<string, Breach[]>[]> {
  const out: Record<string, Breach[]>[] = [];
  for (let q = nextQuarter(from.year, from.quarter); q.year * 4 + q.quarter < to.year * 4 + to.quarter;) {
    const stored = await store.getReport(q.year, q.quarter);
    const figures = stored?.figures as Partial<QuarterlyReportData> | undefined;
    if (figures?.breaches) out.push(figures.breaches);
    else {
      const ind = indicatorsOf(quarterPeriod(q.year, q.quarter));
      out.push(Object.fromEntries(Object.entries(ind.agencies).map(([a, f]) => [a, breachesOf(f, config)])));
    }
    q = nextQuarter(q.year, q.quarter);
  }
  return out;
}
