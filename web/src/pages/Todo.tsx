import { Button, Card, Grid, Select, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, must } from '../api/client';
import { agencyName, leaderName, ownerName, useDirectory } from '../api/hooks';
import type { Person } from '../api/session';
import { ScrollTable } from '../components/ScrollTable';
import { EventModal, type EventTarget } from '../components/EventModal';
import { countdown, urgencyOf, UrgencyTag } from '../components/Urgency';
import { enumLabels, eventForRule, eventLabels, fieldLabel, stageLabel } from '../labels';

export interface DutyRow {
  caseId: string;
  caseTitle?: string;
  agencyId?: string;
  stage?: string;
  dutyId: string;
  ruleId?: string;
  title: string;
  owner: string;
  dueDate: string;
  dueAt?: string;
  basis?: string;
  status: string;
  escalations?: number;
  workingDaysLeft: number;
}

/** Whether the person may do this duty: its owner, or the bureau; operators only read. */
export const mayAct = (p: Person['principal'], owner: string) =>
  p.role === 'bureau' ||
  (p.role === 'agency' && owner === `agency:${p.agencyId}`) ||
  (p.role === 'leader' && owner === `leader:${p.leaderId}`);

/** The event that does a duty, with what the form can fill in already (the hearing of hearing-<id>-… duties). */
export function eventFor(d: Pick<DutyRow, 'caseId' | 'dutyId' | 'ruleId'>): EventTarget | undefined {
  const type = d.ruleId ? eventForRule[d.ruleId] : undefined;
  if (!type) return undefined;
  const hearing = /^hearing-(.+)-(appearance-plan|substitute-approval)$/.exec(d.dutyId)?.[1];
  return { caseId: d.caseId, type, initial: hearing ? { hearingId: hearing } : undefined };
}

export function useDuties() {
  return useQuery({
    queryKey: ['duties'],
    queryFn: async () =>
      (await must(api.GET('/api/duties', { params: { query: { limit: 1000 } } }))).duties as unknown as DutyRow[],
  });
}

export function Todo({ person }: { person: Person }) {
  const { data: dir } = useDirectory();
  const duties = useDuties();
  // The duty list has no field: the case list (visibility) gives it, one call for all cases.
  const cases = useQuery({
    queryKey: ['cases', 'all'],
    queryFn: async () => (await must(api.GET('/api/cases', { params: { query: { limit: 1000 } } }))).cases,
  });
  const [filter, setFilter] = useState<{ agency?: string; leader?: string; stage?: string; field?: string }>({});
  const [target, setTarget] = useState<EventTarget | null>(null);
  const fieldOf = useMemo(
    () => new Map((cases.data ?? []).map((c) => [c.caseId, (c as { field?: string }).field])),
    [cases.data],
  );
  const leaderOf = (agencyId?: string) => dir?.agencies.find((a) => a.id === agencyId)?.leaderId;
  const rows = useMemo(
    () =>
      (duties.data ?? [])
        .filter((d) => !filter.agency || d.agencyId === filter.agency)
        .filter(
          (d) => !filter.leader || leaderOf(d.agencyId) === filter.leader || d.owner === `leader:${filter.leader}`,
        )
        .filter((d) => !filter.stage || d.stage === filter.stage)
        .filter((d) => !filter.field || fieldOf.get(d.caseId) === filter.field)
        .sort((a, b) => (a.dueAt ?? a.dueDate).localeCompare(b.dueAt ?? b.dueDate)),
    [duties.data, filter, fieldOf, dir],
  );
  const caseRow = (caseId: string) => (cases.data ?? []).find((c) => c.caseId === caseId);
  const wide = Grid.useBreakpoint().md ?? true;
  const act = (d: DutyRow) => {
    const ev = eventFor(d);
    return ev && mayAct(person.principal, d.owner) ? (
      <Button
        type="primary"
        size="small"
        onClick={() => setTarget(ev)}
        aria-label={`${eventLabels[ev.type] ?? '办理'}：${d.caseTitle ?? d.caseId}`}
      >
        {eventLabels[ev.type] ?? '办理'}
      </Button>
    ) : null;
  };
  const left = (d: DutyRow) =>
    d.status === 'overdue' && d.workingDaysLeft >= 0 ? '已逾期' : countdown(d.workingDaysLeft, d.status);
  const hearingCtx = target
    ? {
        hearings: target.initial?.hearingId
          ? [{ id: String(target.initial.hearingId), label: String(target.initial.hearingId) }]
          : [],
      }
    : {};
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        待办事项
      </Typography.Title>
      <div className="filters" role="search" aria-label="筛选待办">
        <Select
          allowClear
          placeholder="涉诉机关"
          aria-label="按涉诉机关筛选"
          value={filter.agency}
          onChange={(v) => setFilter({ ...filter, agency: v })}
          options={dir?.agencies.map((a) => ({ value: a.id, label: a.name }))}
        />
        <Select
          allowClear
          placeholder="分管县领导"
          aria-label="按分管县领导筛选"
          value={filter.leader}
          onChange={(v) => setFilter({ ...filter, leader: v })}
          options={dir?.leaders.map((l) => ({ value: l.id, label: l.name }))}
        />
        <Select
          allowClear
          placeholder="阶段"
          aria-label="按阶段筛选"
          value={filter.stage}
          onChange={(v) => setFilter({ ...filter, stage: v })}
          options={Object.entries(enumLabels.stage!).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="执法领域"
          aria-label="按执法领域筛选"
          value={filter.field}
          onChange={(v) => setFilter({ ...filter, field: v })}
          options={Object.entries(enumLabels.field!).map(([value, label]) => ({ value, label }))}
        />
      </div>
      {!wide ? (
        <div role="list" aria-label="待办事项">
          {rows.length === 0 && !duties.isPending && <Typography.Paragraph>没有待办事项</Typography.Paragraph>}
          {rows.map((d) => (
            <Card
              key={`${d.caseId}/${d.dutyId}`}
              size="small"
              role="listitem"
              className={`duty-card row-${urgencyOf(d)}`}
              style={{ marginBottom: 8 }}
            >
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                <UrgencyTag urgency={urgencyOf(d)} basis={d.basis} />
                <span data-testid="countdown">{left(d)}</span>
              </div>
              <div style={{ margin: '6px 0' }}>{d.title}</div>
              <div>
                <Link to={`/cases/${encodeURIComponent(d.caseId)}`}>{d.caseTitle ?? d.caseId}</Link>
              </div>
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 6 }}>
                <span>
                  截止 {d.dueDate} · {ownerName(dir, d.owner)}
                </span>
                {act(d)}
              </div>
            </Card>
          ))}
        </div>
      ) : (
        <ScrollTable<DutyRow>
          label="待办事项"
          rowKey={(d) => `${d.caseId}/${d.dutyId}`}
          loading={duties.isPending}
          dataSource={rows}
          size="middle"

          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          rowClassName={(d) => `row-${urgencyOf(d)}`}
          locale={{ emptyText: '没有待办事项' }}
          columns={[
            { title: '状态', key: 'urgency', render: (_, d) => <UrgencyTag urgency={urgencyOf(d)} basis={d.basis} /> },
            {
              title: '截止日期',
              className: 'nowrap',
              dataIndex: 'dueDate',
              render: (v: string, d) => (
                <Tooltip title={d.basis ? `依据：${d.basis}` : undefined}>
                  <span>{v}</span>
                </Tooltip>
              ),
            },
            { title: '倒计时', key: 'left', render: (_, d) => <span data-testid="countdown">{left(d)}</span> },
            { title: '事项', dataIndex: 'title' },
            {
              title: '案件',
              key: 'case',
              render: (_, d) => <Link to={`/cases/${encodeURIComponent(d.caseId)}`}>{d.caseTitle ?? d.caseId}</Link>,
            },
            { title: '责任单位', key: 'owner', render: (_, d) => ownerName(dir, d.owner) },
            { title: '涉诉机关', key: 'agency', responsive: ['md'], render: (_, d) => agencyName(dir, d.agencyId) },
            {
              title: '分管县领导',
              key: 'leader',
              responsive: ['lg'],
              render: (_, d) => leaderName(dir, leaderOf(d.agencyId)),
            },
            {
              title: '阶段',
              key: 'stage',
              responsive: ['md'],
              className: 'nowrap',
              render: (_, d) => stageLabel(d.stage),
            },
            {
              title: '领域',
              key: 'field',
              responsive: ['lg'],
              render: (_, d) => fieldLabel(fieldOf.get(d.caseId) ?? (caseRow(d.caseId) as { field?: string })?.field),
            },
            { title: '操作', key: 'act', render: (_, d) => act(d) },
          ]}
        />
      )}
      <EventModal target={target} ctx={{ agencies: dir?.agencies, ...hearingCtx }} onClose={() => setTarget(null)} />
    </>
  );
}
