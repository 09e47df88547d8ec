import { Alert, Button, Card, Descriptions, Empty, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, must } from '../api/client';
import { agencyName, eventTypesOf, leaderName, ownerName, requestSchema, useDirectory, useOpenApi } from '../api/hooks';
import type { Person } from '../api/session';
import { ScrollTable } from '../components/ScrollTable';
import { EventModal, type EventTarget } from '../components/EventModal';
import { countdown, urgencyOf, UrgencyTag } from '../components/Urgency';
import {
  channelLabels,
  dutyStatusLabels,
  enumLabels,
  eventLabels,
  fieldLabel,
  noticeKindLabels,
  noticeStatusLabels,
  stageLabel,
} from '../labels';
import { useDuties } from './Todo';

type Duty = {
  id: string;
  ruleId: string;
  title: string;
  owner: string;
  dueDate: string;
  basis: string;
  status: string;
  reminders: string[];
  remindersSent: number;
  escalations: number;
  doneAt?: string;
  doneBy?: string;
  lateDays?: number;
  provisional?: boolean;
};
type Hearing = {
  id: string;
  scheduledAt: string;
  headAppearanceRequired: boolean;
  plan?: {
    appearing: string;
    name: string;
    reason?: string;
    approval?: { approved: boolean; by: string; at: string; comment?: string };
  };
  record?: { appeared: boolean; who: string; role: string; spoke: boolean };
};
type CaseState = {
  caseId: string;
  title: string;
  agencyId: string;
  leaderId: string;
  field: string;
  plaintiff: string;
  stage: string;
  major: boolean;
  countyGovernmentDefendant: boolean;
  registeredAt: string;
  duties: Duty[];
  hearings: Hearing[];
  mediations: {
    round: number;
    stage: string;
    letterReceivedAt: string;
    extensions: unknown[];
    result?: { outcome: string; at: string };
  }[];
  judgment?: {
    receivedAt: string;
    outcome: string;
    documentNo?: string;
    lossReport?: { submissions: number; reviews: { decision: string; at: string }[] };
  };
  timeline: { seq: number; at: string; actor: string; type: string; summary: string }[];
  allowedEvents?: string[];
};
type Notice = {
  id: string;
  kind: string;
  recipient: string;
  channel: string;
  status: string;
  subject: string;
  requestedAt: string;
  deliveredAt: string | null;
  channelAnswer: string | null;
  attempts: number;
};
type TimelineRow = {
  seq?: number;
  at?: string;
  occurredAt?: string;
  enteredAt?: string;
  recordedAt?: string;
  actor?: string;
  type?: string;
  summary?: string;
};

export const fmt = (iso?: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

export default function CaseDetail({ person }: { person: Person }) {
  const { caseId = '' } = useParams();
  const { data: dir } = useDirectory();
  const { data: doc } = useOpenApi();
  const [target, setTarget] = useState<EventTarget | null>(null);
  const state = useQuery({
    queryKey: ['case', caseId],
    queryFn: async () =>
      (await must(api.GET('/api/cases/{caseId}', { params: { path: { caseId } } }))) as unknown as CaseState,
  });
  const record = useQuery({
    queryKey: ['case', caseId, 'record'],
    queryFn: async () =>
      (await must(api.GET('/api/cases/{caseId}/record', { params: { path: { caseId } } }))) as unknown as {
        notices: Notice[];
        timeline: TimelineRow[];
      },
    retry: false,
  });
  const open = useDuties();
  const left = useMemo(
    () => new Map((open.data ?? []).filter((d) => d.caseId === caseId).map((d) => [d.dutyId, d.workingDaysLeft])),
    [open.data, caseId],
  );
  if (state.isPending) return <Spin />;
  if (state.isError) {
    const e = state.error as ApiError;
    return <Alert type="error" showIcon title={e.status === 404 ? `没有案件 ${caseId}，或您无权查看` : e.zh} />;
  }
  const c = state.data;
  // What the caller may send now, as the API says; until it says so, every event type of the API's union.
  const allowed =
    person.principal.role === 'operator'
      ? []
      : (c.allowedEvents ?? eventTypesOf(requestSchema(doc, '/api/cases/{caseId}/events')));
  const hearings = c.hearings.map((h) => ({ id: h.id, label: `${h.id}（${fmt(h.scheduledAt)}）` }));
  const timeline: TimelineRow[] = record.data?.timeline?.length ? record.data.timeline : c.timeline;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
          {c.title}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label="案件编号">{c.caseId}</Descriptions.Item>
          <Descriptions.Item label="阶段">
            <Tag color="blue" data-testid="stage">
              {stageLabel(c.stage)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="涉诉机关">{agencyName(dir, c.agencyId)}</Descriptions.Item>
          <Descriptions.Item label="分管县领导">{leaderName(dir, c.leaderId)}</Descriptions.Item>
          <Descriptions.Item label="执法领域">{fieldLabel(c.field)}</Descriptions.Item>
          <Descriptions.Item label="原告">{c.plaintiff}</Descriptions.Item>
          <Descriptions.Item label="登记时间">{fmt(c.registeredAt)}</Descriptions.Item>
          {c.major && <Descriptions.Item label="重大案件">是</Descriptions.Item>}
          {c.countyGovernmentDefendant && <Descriptions.Item label="被告">县人民政府</Descriptions.Item>}
        </Descriptions>
      </Card>
      {allowed.length > 0 && (
        <Card title="办理事项" size="small">
          <Space wrap>
            {allowed.map((t) => (
              <Button
                key={t}
                onClick={() =>
                  setTarget({
                    caseId,
                    type: t,
                    initial:
                      hearings.length === 1 &&
                      [
                        'appearance-plan',
                        'substitute-approval',
                        'appearance-record',
                        'hearing-rescheduled',
                        'hearing-cancelled',
                      ].includes(t)
                        ? { hearingId: hearings[0]!.id }
                        : undefined,
                  })
                }
              >
                {eventLabels[t] ?? t}
              </Button>
            ))}
          </Space>
        </Card>
      )}
      <Card title="期限事项" size="small">
        <ScrollTable<Duty>
          label="期限事项"
          rowKey="id"
          dataSource={c.duties}
          pagination={false}
          size="small"

          rowClassName={(d) => `row-${urgencyOf({ status: d.status, workingDaysLeft: left.get(d.id) })}`}
          columns={[
            { title: '事项', dataIndex: 'title' },
            { title: '责任单位', key: 'owner', render: (_, d) => ownerName(dir, d.owner) },
            { title: '截止日期', key: 'due', render: (_, d) => `${d.dueDate}${d.provisional ? '（暂定）' : ''}` },
            {
              title: '状态',
              key: 'status',
              render: (_, d) => (
                <Space size={4} data-testid={`duty-${d.id}`} data-status={d.status}>
                  <UrgencyTag
                    urgency={urgencyOf({ status: d.status, workingDaysLeft: left.get(d.id) })}
                    basis={d.basis}
                  />
                  <span>{dutyStatusLabels[d.status] ?? d.status}</span>
                  {left.has(d.id) && <span>{countdown(left.get(d.id), d.status)}</span>}
                </Space>
              ),
            },
            { title: '提醒', key: 'rem', render: (_, d) => `已发 ${d.remindersSent}/${d.reminders.length}` },
            { title: '督办', key: 'esc', render: (_, d) => (d.escalations ? `${d.escalations} 次` : '无') },
            { title: '逾期', key: 'late', render: (_, d) => (d.lateDays ? `迟 ${d.lateDays} 天` : '') },
            {
              title: '完成',
              key: 'done',
              render: (_, d) => (d.doneAt ? `${fmt(d.doneAt)} ${ownerName(dir, d.doneBy ?? '')}` : ''),
            },
            {
              title: '依据',
              dataIndex: 'basis',
              render: (b: string) => (
                <Tooltip title={b}>
                  <span
                    style={{
                      display: 'inline-block',
                      maxWidth: 220,
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                      verticalAlign: 'bottom',
                    }}
                  >
                    {b}
                  </span>
                </Tooltip>
              ),
            },
          ]}
        />
      </Card>
      <Card title="庭审" size="small">
        {c.hearings.length === 0 ? (
          <Empty description="暂无庭审" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <ScrollTable<Hearing>
            label="庭审"
            rowKey="id"
            dataSource={c.hearings}
            pagination={false}
            size="small"

            columns={[
              { title: '庭审', dataIndex: 'id' },
              { title: '开庭时间', key: 'at', render: (_, h) => fmt(h.scheduledAt) },
              { title: '负责人出庭', key: 'req', render: (_, h) => (h.headAppearanceRequired ? '要求' : '未要求') },
              {
                title: '出庭方案',
                key: 'plan',
                render: (_, h) =>
                  h.plan
                    ? `${enumLabels.appearing![h.plan.appearing]?.replace(/（.*）/, '') ?? h.plan.appearing}：${h.plan.name}`
                    : '',
              },
              {
                title: '委托审批',
                key: 'approval',
                render: (_, h) =>
                  h.plan?.appearing === 'deputy'
                    ? h.plan.approval
                      ? `${h.plan.approval.approved ? '已批准' : '不批准'}${h.plan.approval.comment ? `（${h.plan.approval.comment}）` : ''}`
                      : '待审批'
                    : '',
              },
              {
                title: '出庭记录',
                key: 'rec',
                render: (_, h) =>
                  h.record
                    ? `${h.record.appeared ? '已出庭' : '未出庭'} ${h.record.who}${h.record.spoke ? '，已发言' : ''}`
                    : '',
              },
            ]}
          />
        )}
      </Card>
      {c.mediations.length > 0 && (
        <Card title="协调化解" size="small">
          {c.mediations.map((m) => (
            <p key={m.round}>
              第 {m.round} 轮（{stageLabel(m.stage)}），{fmt(m.letterReceivedAt)} 收到委托函
              {m.extensions.length ? `，延期 ${m.extensions.length} 次` : ''}
              {m.result ? `；结果：${enumLabels.outcome![m.result.outcome] ?? m.result.outcome}` : '；进行中'}
            </p>
          ))}
        </Card>
      )}
      {c.judgment && (
        <Card title="裁判" size="small">
          <p>
            {fmt(c.judgment.receivedAt)} 收到裁判文书{c.judgment.documentNo ? `（${c.judgment.documentNo}）` : ''}
            ，结果：{enumLabels.outcome![c.judgment.outcome] ?? c.judgment.outcome}
            {c.judgment.lossReport
              ? `；分析报告提交 ${c.judgment.lossReport.submissions} 次，审核 ${c.judgment.lossReport.reviews.length} 次`
              : ''}
          </p>
        </Card>
      )}
      <Card title="时间线" size="small">
        <Timeline
          items={[...timeline].reverse().map((t) => ({
            key: `${t.seq}-${t.at}`,
            children: (
              <div>
                <div>{t.summary}</div>
                <div style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                  {ownerName(dir, t.actor ?? '')} · 发生于 {fmt(t.occurredAt ?? t.at)}
                  {t.enteredAt || t.recordedAt ? ` · 录入于 ${fmt(t.enteredAt ?? t.recordedAt)}` : ''}
                </div>
              </div>
            ),
          }))}
        />
      </Card>
      <Card title="通知与送达" size="small">
        <ScrollTable<Notice>
          label="通知与送达"
          rowKey="id"
          dataSource={record.data?.notices ?? []}
          loading={record.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          size="small"

          locale={{ emptyText: '暂无通知' }}
          columns={[
            { title: '类别', key: 'kind', render: (_, n) => noticeKindLabels[n.kind] ?? n.kind },
            { title: '收件方', key: 'to', render: (_, n) => ownerName(dir, n.recipient) },
            { title: '标题', dataIndex: 'subject' },
            { title: '渠道', key: 'ch', render: (_, n) => channelLabels[n.channel] ?? n.channel },
            { title: '状态', key: 'st', render: (_, n) => noticeStatusLabels[n.status] ?? n.status },
            { title: '送达时间', key: 'at', render: (_, n) => fmt(n.deliveredAt) },
            { title: '送达凭证', key: 'proof', render: (_, n) => n.channelAnswer ?? '' },
          ]}
        />
      </Card>
      <EventModal target={target} ctx={{ agencies: dir?.agencies, hearings }} onClose={() => setTarget(null)} />
    </Space>
  );
}
