import { Button, Card, Space, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, must } from '../api/client';
import { agencyName, useDirectory } from '../api/hooks';
import type { Person } from '../api/session';
import { ScrollTable } from '../components/ScrollTable';
import { EventModal, type EventTarget } from '../components/EventModal';
import { urgencyOf, UrgencyTag } from '../components/Urgency';
import { noticeKindLabels } from '../labels';
import { CaseTable } from './Cases';
import { fmt } from './CaseDetail';
import { mayAct, useDuties, type DutyRow } from './Todo';

type Notice = {
  id: string;
  key: string;
  caseId: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  requestedAt: string;
};

/** 领导: escalations received, deputies awaiting approval, the cases of the agencies in charge. */
export default function Leader({ person }: { person: Person }) {
  const { data: dir } = useDirectory();
  const p = person.principal;
  const recipient = p.role === 'leader' ? `leader:${p.leaderId}` : undefined;
  const notices = useQuery({
    queryKey: ['notices', 'escalations', recipient],
    queryFn: async () => {
      const { notices } = await must(
        api.GET('/api/notices', { params: { query: { ...(recipient ? { recipient } : {}), limit: 500 } as never } }),
      );
      const seen = new Set<string>();
      // One row per notice, not per channel it went out on.
      return (notices as Notice[]).filter(
        (n) =>
          (n.kind === 'escalation' || n.kind === 'repeated-escalation') &&
          !seen.has(n.key.replace(/#.*$/, '')) &&
          seen.add(n.key.replace(/#.*$/, '')),
      );
    },
  });
  const duties = useDuties();
  const approvals = (duties.data ?? []).filter((d) => d.ruleId === 'substitute-approval');
  const [target, setTarget] = useState<EventTarget | null>(null);
  const decide = (d: DutyRow, approved: boolean) => {
    const hearingId = /^hearing-(.+)-substitute-approval$/.exec(d.dutyId)?.[1] ?? '';
    setTarget({ caseId: d.caseId, type: 'substitute-approval', initial: { hearingId, approved } });
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        领导工作台
      </Typography.Title>
      <Card title="待审批的委托出庭" size="small">
        <ScrollTable<DutyRow>
          label="待审批的委托出庭"
          rowKey={(d) => `${d.caseId}/${d.dutyId}`}
          dataSource={approvals}
          loading={duties.isPending}
          pagination={false}
          size="small"

          locale={{ emptyText: '没有待审批的委托出庭' }}
          columns={[
            { title: '状态', key: 'u', render: (_, d) => <UrgencyTag urgency={urgencyOf(d)} basis={d.basis} /> },
            {
              title: '案件',
              key: 'c',
              render: (_, d) => <Link to={`/cases/${encodeURIComponent(d.caseId)}`}>{d.caseTitle ?? d.caseId}</Link>,
            },
            { title: '涉诉机关', key: 'a', render: (_, d) => agencyName(dir, d.agencyId) },
            { title: '截止日期', dataIndex: 'dueDate' },
            {
              title: '审批',
              key: 'act',
              render: (_, d) =>
                mayAct(p, d.owner) ? (
                  <Space>
                    <Button
                      type="primary"
                      size="small"
                      icon={<CheckOutlined />}
                      onClick={() => decide(d, true)}
                      aria-label={`批准：${d.caseTitle ?? d.caseId}`}
                    >
                      批准
                    </Button>
                    <Button
                      danger
                      size="small"
                      icon={<CloseOutlined />}
                      onClick={() => decide(d, false)}
                      aria-label={`不批准：${d.caseTitle ?? d.caseId}`}
                    >
                      不批准
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card title="收到的督办" size="small">
        <ScrollTable<Notice>
          label="收到的督办"
          rowKey="id"
          dataSource={notices.data}
          loading={notices.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          size="small"

          locale={{ emptyText: '没有督办通知' }}
          columns={[
            { title: '时间', key: 't', render: (_, n) => fmt(n.requestedAt) },
            { title: '类别', key: 'k', render: (_, n) => noticeKindLabels[n.kind] ?? n.kind },
            {
              title: '案件',
              key: 'c',
              render: (_, n) => <Link to={`/cases/${encodeURIComponent(n.caseId)}`}>{n.caseId}</Link>,
            },
            { title: '内容', dataIndex: 'subject' },
          ]}
        />
      </Card>
      <Card title={p.role === 'leader' ? '分管机关的案件' : '全部案件'} size="small">
        <CaseTable filters={{}} />
      </Card>
      <EventModal
        target={target}
        ctx={{
          hearings: target?.initial?.hearingId
            ? [{ id: String(target.initial.hearingId), label: String(target.initial.hearingId) }]
            : [],
        }}
        onClose={() => setTarget(null)}
      />
    </Space>
  );
}
