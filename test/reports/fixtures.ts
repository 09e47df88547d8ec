import pino from 'pino';
import { RegistryStore } from '../../src/registry';
import { shanghaiDateOf } from '../../src/reports/period';
import type { CaseState, Duty, Hearing, Judgment, Mediation } from '../../src/workflows/case/types';
import { caseState, duty } from '../registry/fixtures';

export const silentLog = pino({ level: 'silent' });

/** A registry (in memory by default); its migrations include the oversight tables. */
export function openTestRegistry(url = 'sqlite::memory:'): Promise<RegistryStore> {
  return RegistryStore.open(url);
}

const AGENCY_LEADER: Record<string, string> = {
  'natural-resources': 'vice-head-li',
  hrss: 'vice-head-zhang',
  'market-regulation': 'vice-head-chen',
  'public-security': 'vice-head-chen',
  housing: 'vice-head-li',
};

export interface CaseSpec {
  id: string;
  agencyId: string;
  field: CaseState['field'];
  entered: 'pre-suit' | 'in-suit' | 'post-judgment';
  registeredAt: string;
  /** Enters in-suit later, at this instant (a second snapshot). */
  suitAt?: string;
  countyGovernmentDefendant?: boolean;
  /** When the trigger was received (the case's date); the registration instant when omitted. */
  triggerAt?: string;
  /** Takes effect on the day of receipt unless `effectiveOn` says otherwise (null: not yet effective). */
  judgment?: Pick<Judgment, 'receivedAt' | 'outcome'> &
    Partial<Omit<Judgment, 'effectiveOn'>> & {
      effectiveOn?: string | null;
    };
  earlierJudgments?: Judgment[];
  withdrawn?: CaseState['withdrawn'];
  presuitSettled?: CaseState['presuitSettled'];
  voided?: CaseState['voided'];
  mediations?: Pick<Mediation, 'stage' | 'result'>[];
  hearings?: (Pick<Hearing, 'scheduledAt' | 'record' | 'plan'> & Partial<Pick<Hearing, 'status' | 'history'>>)[];
  duties?: Duty[];
}

/** The case's state as the workflow would hand it to recordCase. */
export function stateOf(s: CaseSpec, stage = s.suitAt ? 'in-suit' : s.entered): CaseState {
  const timeline = [{ seq: 0, at: s.registeredAt, actor: 'bureau', type: 'registered', summary: '登记' }];
  if (s.suitAt && stage === 'in-suit')
    timeline.push({ seq: 1, at: s.suitAt, actor: 'agency:x', type: 'response-notice', summary: '收到应诉通知书' });
  const triggerType = { 'pre-suit': 'oral-notice', 'in-suit': 'response-notice', 'post-judgment': 'judgment' } as const;
  const { effectiveOn, ...judgment } = s.judgment ?? { effectiveOn: null };
  return caseState(s.id, {
    title: `测试案件 ${s.id}`,
    agencyId: s.agencyId,
    agencyName: s.agencyId,
    trigger: { type: triggerType[s.entered], receivedAt: s.triggerAt ?? s.registeredAt },
    leaderId: AGENCY_LEADER[s.agencyId] ?? 'vice-head-li',
    field: s.field,
    stage: stage as CaseState['stage'],
    enteredStage: s.entered,
    registeredAt: s.registeredAt,
    countyGovernmentDefendant: s.countyGovernmentDefendant ?? false,
    duties: s.duties ?? [],
    mediations: (s.mediations ?? []).map((m, i) => ({
      round: i + 1,
      stage: m.stage,
      letterReceivedAt: s.registeredAt,
      periodDutyId: `mediation-${i + 1}-period`,
      progressDutyIds: [],
      extensions: [],
      ...(m.result ? { result: m.result } : {}),
    })),
    hearings: (s.hearings ?? []).map((h, i) => ({ id: `h${i + 1}`, headAppearanceRequired: true, ...h })),
    ...(s.judgment
      ? {
          judgment: {
            id: 'j1',
            instance: 'first' as const,
            documentType: 'judgment' as const,
            ...(judgment as Pick<Judgment, 'receivedAt' | 'outcome'>),
            ...(effectiveOn === null ? {} : { effectiveOn: effectiveOn ?? shanghaiDateOf(s.judgment.receivedAt) }),
          },
        }
      : {}),
    ...(s.earlierJudgments ? { earlierJudgments: s.earlierJudgments } : {}),
    ...(s.withdrawn ? { withdrawn: s.withdrawn } : {}),
    ...(s.presuitSettled ? { presuitSettled: s.presuitSettled } : {}),
    ...(s.voided ? { voided: s.voided } : {}),
    timeline,
    seq: { notice: 0, timeline: timeline.length, hearing: s.hearings?.length ?? 0 },
  });
}

/** Files each case as the workflow would: a first snapshot, and a second when it entered in-suit later. */
export async function seed(store: RegistryStore, specs: CaseSpec[]): Promise<void> {
  for (const s of specs) {
    if (s.suitAt) await store.recordCase({ state: stateOf(s, s.entered) });
    await store.recordCase({ state: stateOf(s) });
  }
}

export const resolved = (at: string) => ({ outcome: 'resolved' as const, summary: '已化解', at });
export const failed = (at: string) => ({
  outcome: 'failed' as const,
  process: '多次协调',
  demands: '撤销决定',
  disputeFocus: '补偿标准',
  failureReasons: '分歧较大',
  at,
});
export const record = (over: Partial<NonNullable<Hearing['record']>> = {}): NonNullable<Hearing['record']> => ({
  appeared: true,
  who: '刘局长',
  role: 'principal',
  spoke: true,
  at: '2025-01-01T00:00:00.000Z',
  ...over,
});
export { duty };
