import { Button, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, must } from '../api/client';
import { agencyName, leaderName, useDirectory } from '../api/hooks';
import type { Person } from '../api/session';
import { ScrollTable } from '../components/ScrollTable';
import { enumLabels, fieldLabel, stageLabel } from '../labels';
import { urgencyStyle } from '../components/Urgency';

type CaseSummary = {
  caseId: string;
  agencyId?: string;
  leaderId?: string;
  stage?: string;
  field?: string;
  nextDueAt?: string;
  overdueCount?: number;
  major?: boolean;
  status?: string;
  startedAt?: string;
};
type Filters = {
  agencyId?: string;
  stage?: 'pre-suit' | 'in-suit' | 'post-judgment' | 'closed';
  overdue?: 'true' | 'false';
  major?: 'true' | 'false';
};

const shanghai = (iso?: string) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** The case list, filtered by the API's own query parameters (server side). */
export function CaseTable({ filters }: { filters: Filters }) {
  const { data: dir } = useDirectory();
  const list = useQuery({
    queryKey: ['cases', filters],
    queryFn: async () =>
      (await must(api.GET('/api/cases', { params: { query: { ...filters, limit: 500 } as never } })))
        .cases as CaseSummary[],
  });
  return (
    <ScrollTable<CaseSummary>
      label="案件列表"
      rowKey="caseId"
      loading={list.isPending}
      dataSource={list.data}
      size="middle"

      locale={{ emptyText: '没有符合条件的案件' }}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        {
          title: '案件编号',
          dataIndex: 'caseId',
          render: (id: string) => <Link to={`/cases/${encodeURIComponent(id)}`}>{id}</Link>,
        },
        { title: '涉诉机关', key: 'agency', render: (_, c) => agencyName(dir, c.agencyId) },
        { title: '分管县领导', key: 'leader', responsive: ['md'], render: (_, c) => leaderName(dir, c.leaderId) },
        { title: '阶段', key: 'stage', render: (_, c) => stageLabel(c.stage) },
        { title: '领域', key: 'field', responsive: ['md'], render: (_, c) => fieldLabel(c.field) },
        { title: '下一截止', key: 'next', responsive: ['md'], render: (_, c) => shanghai(c.nextDueAt) },
        {
          title: '逾期',
          key: 'overdue',
          render: (_, c) =>
            c.overdueCount ? (
              <span className="urgency" style={{ background: urgencyStyle.overdue.color }}>
                {urgencyStyle.overdue.icon} 逾期 {c.overdueCount} 项
              </span>
            ) : (
              '无'
            ),
        },
        {
          title: '重大',
          key: 'major',
          responsive: ['md'],
          render: (_, c) => (c.major ? <Tag color="red">重大案件</Tag> : ''),
        },
      ]}
    />
  );
}

export default function Cases({ person }: { person: Person }) {
  const { data: dir } = useDirectory();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({});
  const p = person.principal;
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8 }}>
        <Typography.Title level={2} style={{ fontSize: 20 }}>
          案件
        </Typography.Title>
        {(p.role === 'bureau' || p.role === 'agency') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')}>
            登记案件
          </Button>
        )}
      </div>
      <div className="filters" role="search" aria-label="筛选案件">
        {p.role !== 'agency' && (
          <Select
            allowClear
            placeholder="涉诉机关"
            aria-label="按涉诉机关筛选"
            value={filters.agencyId}
            onChange={(v) => setFilters({ ...filters, agencyId: v })}
            options={dir?.agencies.map((a) => ({ value: a.id, label: a.name }))}
          />
        )}
        <Select
          allowClear
          placeholder="阶段"
          aria-label="按阶段筛选"
          value={filters.stage}
          onChange={(v) => setFilters({ ...filters, stage: v })}
          options={Object.entries(enumLabels.stage!).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="是否逾期"
          aria-label="按是否逾期筛选"
          value={filters.overdue}
          onChange={(v) => setFilters({ ...filters, overdue: v })}
          options={[
            { value: 'true', label: '有逾期事项' },
            { value: 'false', label: '无逾期事项' },
          ]}
        />
        <Select
          allowClear
          placeholder="重大案件"
          aria-label="按重大案件筛选"
          value={filters.major}
          onChange={(v) => setFilters({ ...filters, major: v })}
          options={[
            { value: 'true', label: '重大案件' },
            { value: 'false', label: '一般案件' },
          ]}
        />
      </div>
      <CaseTable filters={filters} />
    </>
  );
}
