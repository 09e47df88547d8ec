// The oversight indicators of 武政办〔2023〕47号 (sections 二, 四, 五), computed from registry rows by pure functions:
// the same rows always give the same figures, and every figure carries the case ids behind it.
import { caseStages, enforcementFields, type CaseStage, type EnforcementField } from '../vocabulary/case';
import { inPeriod, litigationWindow, shanghaiMidnight, type Period } from './period';

// ---------------------------------------------------------------- input: registry rows, as plain records

export interface CaseRow {
  id: string;
  agencyId: string;
  field: string;
  enteredStage: string;
  /** When it was entered: never used to date what happened (a county may enter last year's cases today). */
  registeredAt: string;
  countyGovernmentDefendant: boolean;
  /** When the registration's notice or judgment was received: the case's date. Null on rows before issue 11. */
  triggerReceivedAt?: string | null;
  /** A case entered by mistake: left out of every figure. */
  voided?: boolean;
  /** A withdrawal (撤诉): when entered, and the court's 准予撤诉 ruling date, which dates it. */
  withdrawnAt?: string | null;
  withdrawnRulingOn?: string | null;
  /** A pre-suit dispute settled without a suit (诉前化解). */
  presuitSettledAt?: string | null;
}
/** A stage change (the registration's first row included: from null to the entry stage). */
export interface StageChangeRow {
  caseId: string;
  toStage: string;
  at: string;
}
export interface MediationRow {
  caseId: string;
  round: number;
  stage: string;
  outcome: 'resolved' | 'failed' | null;
  resultAt: string | null;
}
/** One judicial document of a case: the current one, or an earlier instance. */
export interface JudgmentRow {
  caseId: string;
  /** Null on a row written before issue 11, when a judgment took effect on receipt. */
  judgmentId?: string | null;
  /** first | second | retrial */
  instance?: string | null;
  receivedAt: string;
  outcome: string;
  /** The Shanghai date it took effect; a document without one (appeal period running, appealed) is not counted. */
  effectiveOn?: string | null;
  /** True for the case's current document (the latest received). */
  current?: boolean;
}
export interface HearingRow {
  caseId: string;
  hearingId: string;
  scheduledAt: string;
  headAppearanceRequired: boolean;
  planAppearing: string | null;
  approvalApproved: boolean | null;
  appeared: boolean | null;
  who: string | null;
  role: string | null;
  spoke: boolean | null;
  viceCountyHeadAppeared: boolean | null;
  /** scheduled | held | cancelled (null on rows before issue 11): a cancelled hearing is not counted. */
  status?: string | null;
}
export interface DutyRow {
  caseId: string;
  dutyId: string;
  ruleId: string;
  title: string;
  owner: string;
  dueDate: string;
  dueAt: string;
  status: string;
  overdueSince: string | null;
  doneAt: string | null;
  lateDays: number | null;
}

export interface IndicatorRows {
  cases: CaseRow[];
  stageChanges: StageChangeRow[];
  mediations: MediationRow[];
  judgments: JudgmentRow[];
  hearings: HearingRow[];
  duties: DutyRow[];
}

export interface IndicatorContext {
  period: Period;
  /** When the figures are taken: hearings scheduled later are pending, duties overdue now are "still overdue". */
  asOf: string;
  /** Residents of the county (directory), for 万人成讼率. */
  population: number;
  /** The city's average 万人成讼率 (directory). */
  cityAverageLitigationRate: number;
  /** Agencies always listed (the directory's), even with no cases. */
  agencyIds: string[];
}

// ---------------------------------------------------------------- output

/** A count and the cases behind it. */
export interface Count {
  count: number;
  caseIds: string[];
}

/** A rate and both of its terms, each with its cases; `rate` is null when nothing was counted. */
export interface Rate {
  numerator: Count;
  denominator: Count;
  rate: number | null;
}

export type AppearanceMissReason =
  'no-record' | 'absent' | 'silent' | 'unapproved-deputy' | 'other-person' | 'vice-county-head-absent';

export interface AppearanceMiss {
  caseId: string;
  hearingId: string;
  scheduledAt: string;
  reason: AppearanceMissReason;
  who: string | null;
}

export interface DutyRef {
  caseId: string;
  dutyId: string;
  ruleId: string;
  title: string;
  owner: string;
  dueDate: string;
  /** Days late when done late; days past the due date (as of the figures) when still overdue. */
  daysLate: number;
}

export interface Indicators {
  registered: {
    total: Count;
    byEntryStage: Record<Exclude<CaseStage, 'closed' | 'voided'>, Count>;
    byField: Record<EnforcementField, Count>;
  };
  /** resolvedPreSuit (诉前化解) counts mediation rounds resolved before suit and pre-suit disputes settled. */
  mediation: { resolvedPreSuit: Count; resolvedInSuit: Count; resolvedPostJudgment: Count; failed: Count };
  /** 审结: cases whose final judgment took effect, or whose withdrawal was granted, in the period. */
  concluded: { judgments: Count; withdrawals: Count };
  /**
   * 败诉率: cases whose final effective judgment was lost or partly lost ÷ cases concluded (审结) in the period,
   * withdrawals included.
   */
  lossRate: Rate;
  /** 负责人出庭应诉率: hearings where the head (or an approved deputy) appeared and spoke ÷ hearings requiring a head. */
  appearanceRate: Rate & { misses: AppearanceMiss[]; pending: Count };
  duties: { doneLate: DutyRef[]; stillOverdue: DutyRef[] };
  /** 万人成讼率: suits filed in the year to date ÷ (population ÷ 10,000), against the city average. */
  litigationRate: {
    window: Period;
    suits: Count;
    population: number;
    rate: number;
    cityAverage: number;
    aboveCityAverage: boolean;
  };
}

export interface IndicatorReport {
  period: Period;
  asOf: string;
  county: Indicators;
  /** Per agency (the directory's agencies first, in order, then any other agency found in the registry). */
  agencies: Record<string, Indicators>;
}

// ---------------------------------------------------------------- computation

const count = (ids: Iterable<string>): Count => {
  const caseIds = [...new Set(ids)].sort();
  return { count: caseIds.length, caseIds };
};
const rate = (num: string[], den: string[]): Rate => {
  // Terms count events (judgments, hearings); the case ids are the distinct cases behind them.
  return {
    numerator: { count: num.length, caseIds: [...new Set(num)].sort() },
    denominator: { count: den.length, caseIds: [...new Set(den)].sort() },
    rate: den.length ? num.length / den.length : null,
  };
};
const DAY_MS = 86_400_000;
const daysFrom = (date: string, iso: string) =>
  Math.floor((Date.parse(iso) + 8 * 3600_000 - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);

/** Why a hearing that required the head does not count for the appearance rate; undefined when it counts. */
export function appearanceMiss(h: HearingRow, countyGovernmentDefendant: boolean): AppearanceMissReason | undefined {
  if (h.appeared === null) return 'no-record';
  if (!h.appeared) return 'absent';
  if (h.role === 'deputy' && h.approvalApproved !== true) return 'unapproved-deputy';
  if (h.role !== 'principal' && h.role !== 'deputy') return 'other-person';
  // 👉 既出庭、又出声 (row 13): a head who sat silent has not appeared for the rate.
  if (!h.spoke) return 'silent';
  if (countyGovernmentDefendant && h.viceCountyHeadAppeared !== true) return 'vice-county-head-absent';
  return undefined;
}

/** When a case happened: its trigger's receipt (the notice, letter or judgment), else its registration. */
export const caseDateOf = (c: CaseRow): string => c.triggerReceivedAt ?? c.registeredAt;

const SHANGHAI_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A Shanghai date as the instant it began, so dates and instants compare as numbers. */
const dayStart = (dateOrInstant: string): string =>
  SHANGHAI_DATE.test(dateOrInstant) ? shanghaiMidnight(dateOrInstant) : dateOrInstant;

/** The date a document took effect; a row from before issue 11 took effect on receipt. */
const effectiveAt = (j: JudgmentRow): string | undefined =>
  j.effectiveOn ? dayStart(j.effectiveOn) : j.judgmentId == null && j.current !== false ? j.receivedAt : undefined;

/**
 * The final effective document of each case: the latest to take effect (the current one on a tie). A first-instance
 * loss reversed on appeal is replaced by the second instance; a document still open to appeal is not final.
 */
export function finalJudgments(judgments: JudgmentRow[]): Map<string, JudgmentRow & { effectiveAt: string }> {
  const out = new Map<string, JudgmentRow & { effectiveAt: string }>();
  for (const j of judgments) {
    const at = effectiveAt(j);
    if (!at) continue;
    const prev = out.get(j.caseId);
    const later = !prev || Date.parse(at) > Date.parse(prev.effectiveAt);
    const tieCurrent = prev && Date.parse(at) === Date.parse(prev.effectiveAt) && j.current === true;
    if (later || tieCurrent) out.set(j.caseId, { ...j, effectiveAt: at });
  }
  return out;
}

/**
 * The instant a case's suit was filed, as the registry knows it: a case registered in suit or after judgment (a
 * judgment implies a suit) by its trigger's receipt; a pre-suit case by its entering in-suit.
 */
export function suitFiledAt(c: CaseRow, changes: StageChangeRow[]): string | undefined {
  const times = changes.filter((s) => s.caseId === c.id && s.toStage === 'in-suit').map((s) => s.at);
  if (c.enteredStage === 'in-suit' || c.enteredStage === 'post-judgment') times.push(caseDateOf(c));
  if (times.length === 0) return undefined;
  return times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

const isLoss = (outcome: string) => outcome === 'lost' || outcome === 'partly-lost';

function indicatorsFor(
  rows: IndicatorRows,
  ctx: IndicatorContext,
  caseById: Map<string, CaseRow>,
  dutyOwnerFilter: (d: DutyRow) => boolean,
): Indicators {
  const p = ctx.period;
  const registered = rows.cases.filter((c) => inPeriod(caseDateOf(c), p));
  const byEntryStage = Object.fromEntries(
    caseStages
      .filter((s) => s !== 'closed' && s !== 'voided')
      .map((s) => [s, count(registered.filter((c) => c.enteredStage === s).map((c) => c.id))]),
  ) as Indicators['registered']['byEntryStage'];
  const byField = Object.fromEntries(
    enforcementFields.map((f) => [
      f,
      count(
        registered
          .filter((c) => (enforcementFields.includes(c.field as EnforcementField) ? c.field : 'other') === f)
          .map((c) => c.id),
      ),
    ]),
  ) as Indicators['registered']['byField'];

  const results = rows.mediations.filter((m) => m.outcome && inPeriod(m.resultAt, p));
  const resolvedIn = (stage: string) =>
    results.filter((m) => m.outcome === 'resolved' && m.stage === stage).map((m) => m.caseId);
  const settledPreSuit = rows.cases.filter((c) => inPeriod(c.presuitSettledAt, p)).map((c) => c.id);

  // 审结: the final effective judgment dated by when it took effect; a withdrawal by the court's ruling.
  const finals = [...finalJudgments(rows.judgments).values()];
  const judged = finals.filter((j) => inPeriod(j.effectiveAt, p));
  const judgedIds = new Set(finals.map((j) => j.caseId));
  const withdrawals = rows.cases.filter(
    (c) => !judgedIds.has(c.id) && inPeriod(c.withdrawnRulingOn ? dayStart(c.withdrawnRulingOn) : c.withdrawnAt, p),
  );
  const lost = judged.filter((j) => isLoss(j.outcome));

  const asOfMs = Date.parse(ctx.asOf);
  const required = rows.hearings.filter(
    (h) => h.headAppearanceRequired && h.status !== 'cancelled' && inPeriod(h.scheduledAt, p),
  );
  const held = required.filter((h) => Date.parse(h.scheduledAt) <= asOfMs || h.appeared !== null);
  const pending = required.filter((h) => !held.includes(h));
  const misses: AppearanceMiss[] = [];
  const ok: string[] = [];
  for (const h of held) {
    const reason = appearanceMiss(h, caseById.get(h.caseId)?.countyGovernmentDefendant ?? false);
    if (reason)
      misses.push({ caseId: h.caseId, hearingId: h.hearingId, scheduledAt: h.scheduledAt, reason, who: h.who });
    else ok.push(h.caseId);
  }

  const duties = rows.duties.filter(dutyOwnerFilter);
  const ref = (d: DutyRow, daysLate: number): DutyRef => ({
    caseId: d.caseId,
    dutyId: d.dutyId,
    ruleId: d.ruleId,
    title: d.title,
    owner: d.owner,
    dueDate: d.dueDate,
    daysLate,
  });
  const doneLate = duties
    .filter((d) => d.status === 'done' && inPeriod(d.doneAt, p) && (d.lateDays ?? 0) > 0)
    .map((d) => ref(d, d.lateDays ?? 0));
  const stillOverdue = duties
    .filter((d) => d.status === 'overdue' && Date.parse(d.dueAt) < Date.parse(p.to))
    .map((d) => ref(d, Math.max(daysFrom(d.dueDate, ctx.asOf), 0)));

  const window = litigationWindow(p);
  const suits = rows.cases.filter((c) => inPeriod(suitFiledAt(c, rows.stageChanges), window));
  const litigation = ctx.population > 0 ? suits.length / (ctx.population / 10_000) : 0;

  return {
    registered: { total: count(registered.map((c) => c.id)), byEntryStage, byField },
    mediation: {
      resolvedPreSuit: count([...resolvedIn('pre-suit'), ...settledPreSuit]),
      resolvedInSuit: count(resolvedIn('in-suit')),
      resolvedPostJudgment: count(resolvedIn('post-judgment')),
      failed: count(results.filter((m) => m.outcome === 'failed').map((m) => m.caseId)),
    },
    concluded: { judgments: count(judged.map((j) => j.caseId)), withdrawals: count(withdrawals.map((c) => c.id)) },
    lossRate: rate(
      lost.map((j) => j.caseId),
      [...judged.map((j) => j.caseId), ...withdrawals.map((c) => c.id)],
    ),
    appearanceRate: {
      ...rate(
        ok,
        held.map((h) => h.caseId),
      ),
      misses,
      pending: count(pending.map((h) => h.caseId)),
    },
    duties: { doneLate, stillOverdue },
    litigationRate: {
      window,
      suits: count(suits.map((c) => c.id)),
      population: ctx.population,
      rate: litigation,
      cityAverage: ctx.cityAverageLitigationRate,
      aboveCityAverage: litigation > ctx.cityAverageLitigationRate,
    },
  };
}

/** Restricts rows to the cases of one agency. */
function rowsOf(rows: IndicatorRows, caseIds: Set<string>): IndicatorRows {
  return {
    cases: rows.cases.filter((c) => caseIds.has(c.id)),
    stageChanges: rows.stageChanges.filter((r) => caseIds.has(r.caseId)),
    mediations: rows.mediations.filter((r) => caseIds.has(r.caseId)),
    judgments: rows.judgments.filter((r) => caseIds.has(r.caseId)),
    hearings: rows.hearings.filter((r) => caseIds.has(r.caseId)),
    duties: rows.duties.filter((r) => caseIds.has(r.caseId)),
  };
}

/**
 * Every indicator for the county and for each agency. An agency answers for the duties it owns (a leader's
 * approval or the bureau's review do not count against it); the county figures count every owner. A voided case
 * (entered by mistake) is left out of everything, as if it had never been registered.
 */
export function computeIndicators(allRows: IndicatorRows, ctx: IndicatorContext): IndicatorReport {
  const rows = rowsOf(allRows, new Set(allRows.cases.filter((c) => !c.voided).map((c) => c.id)));
  const caseById = new Map(rows.cases.map((c) => [c.id, c]));
  const county = indicatorsFor(rows, ctx, caseById, () => true);
  const agencyIds = [
    ...ctx.agencyIds,
    ...[...new Set(rows.cases.map((c) => c.agencyId))].filter((a) => !ctx.agencyIds.includes(a)).sort(),
  ];
  const agencies: Record<string, Indicators> = {};
  for (const agencyId of agencyIds) {
    const ids = new Set(rows.cases.filter((c) => c.agencyId === agencyId).map((c) => c.id));
    agencies[agencyId] = indicatorsFor(rowsOf(rows, ids), ctx, caseById, (d) => d.owner === `agency:${agencyId}`);
  }
  return { period: ctx.period, asOf: ctx.asOf, county, agencies };
}
