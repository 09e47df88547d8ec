import { Alert, Button, Card, Form, Input, Modal, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { DownloadOutlined, FileWordOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, ApiError, must } from '../api/client';
import { agencyName, useDirectory } from '../api/hooks';
import type { Person } from '../api/session';
import { ScrollTable } from '../components/ScrollTable';
import { showIssues } from '../components/SchemaForm';
import { zh } from '../labels';

const Chart = lazy(() => import('./Charts'));

type Count = { count: number };
type Rate = { numerator: Count; denominator: Count; rate: number | null };
type Indicators = {
  registered: { total: Count };
  lossRate: Rate;
  appearanceRate: Rate;
  duties: { doneLate: unknown[]; stillOverdue: unknown[] };
  litigationRate: { rate: number; cityAverage: number; aboveCityAverage: boolean };
};
type Report = { county: Indicators; agencies: Record<string, Indicators> };
type Quarter = { year: number; q: number; label: string; from: string; to: string };

/** The current quarter and the three before it (Shanghai dates), oldest first. */
function lastQuarters(n = 4): Quarter[] {
  const now = new Date(Date.now() + 8 * 3600_000);
  let y = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  const out: Quarter[] = [];
  for (let i = 0; i < n; i++) {
    const from = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
    const to = q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    out.unshift({ year: y, q, label: `${y}年第${q}季度`, from, to });
    q -= 1;
    if (q === 0) [q, y] = [4, y - 1];
  }
  return out;
}

const pct = (r: Rate) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10);
const pctText = (r: Rate) => (r.rate === null ? '无' : `${pct(r)}%（${r.numerator.count}/${r.denominator.count}）`);
const overdueOf = (i: Indicators) => i.duties.stillOverdue.length;

type Row = { key: string; name: string; ind: Indicators };

export default function Stats({ person }: { person: Person }) {
  const { data: dir } = useDirectory();
  const quarters = useMemo(() => lastQuarters(), []);
  const [selected, setSelected] = useState(quarters.length - 1);
  const results = useQueries({
    queries: quarters.map((qt) => ({
      queryKey: ['indicators', qt.from, qt.to],
      queryFn: async () =>
        (await must(
          api.GET('/api/reports/indicators', { params: { query: { from: qt.from, to: qt.to } } }),
        )) as unknown as Report,
    })),
  });
  const current = results[selected]?.data;
  const rows: Row[] = current
    ? [
        ...(person.principal.role === 'bureau' || person.principal.role === 'operator'
          ? [{ key: 'county', name: '全县', ind: current.county }]
          : []),
        ...Object.entries(current.agencies).map(([id, ind]) => ({ key: id, name: agencyName(dir, id), ind })),
      ]
    : [];
  const loaded = results.every((r) => r.data);
  const agencies = current ? Object.keys(current.agencies) : [];
  const qt = quarters[selected]!;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          统计
        </Typography.Title>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href="/api/ledger.xlsx">
            案件台账（Excel）
          </Button>
          <Button icon={<DownloadOutlined />} href={`/api/reports/indicators.xlsx?from=${qt.from}&to=${qt.to}`}>
            本季指标（Excel）
          </Button>
        </Space>
      </div>
      <Segmented
        aria-label="选择季度"
        value={selected}
        onChange={(v) => setSelected(Number(v))}
        options={quarters.map((q, i) => ({ value: i, label: q.label }))}
      />
      {results.some((r) => r.isError) && (
        <Alert
          type="error"
          showIcon
          title={(results.find((r) => r.isError)?.error as ApiError)?.zh ?? '指标加载失败'}
        />
      )}
      <Card title={`${qt.label} 各单位指标`} size="small">
        <ScrollTable<Row>
          label="各单位指标"
          rowKey="key"
          dataSource={rows}
          loading={!current}
          pagination={false}
          size="small"

          columns={[
            { title: '单位', dataIndex: 'name' },
            { title: '新增案件', key: 'n', render: (_, r) => r.ind.registered.total.count },
            { title: '败诉率', key: 'loss', render: (_, r) => pctText(r.ind.lossRate) },
            { title: '出庭应诉率', key: 'app', render: (_, r) => pctText(r.ind.appearanceRate) },
            {
              title: '万人成讼率',
              key: 'lit',
              render: (_, r) => (
                <span>
                  {r.ind.litigationRate.rate.toFixed(2)}
                  {r.key === 'county' && r.ind.litigationRate.aboveCityAverage ? (
                    <Tag color="red" style={{ marginLeft: 4 }}>
                      高于全市平均
                    </Tag>
                  ) : null}
                </span>
              ),
            },
            { title: '逾期未办', key: 'od', render: (_, r) => overdueOf(r.ind) },
            { title: '逾期办结', key: 'late', render: (_, r) => r.ind.duties.doneLate.length },
          ]}
        />
      </Card>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))', gap: 16 }}>
        <Card size="small">
          {!loaded ? (
            <Spin />
          ) : (
            <Suspense fallback={<Spin />}>
              <Chart
                title="全县指标季度变化"
                label={`全县败诉率与出庭应诉率，${quarters[0]!.label}至${quarters.at(-1)!.label}`}
                categories={quarters.map((q) => `${q.year}Q${q.q}`)}
                percent
                series={[
                  {
                    name: '败诉率',
                    type: 'line',
                    color: '#c41d1d',
                    data: results.map((r) => pct(r.data!.county.lossRate)),
                  },
                  {
                    name: '出庭应诉率',
                    type: 'line',
                    color: '#0958d9',
                    data: results.map((r) => pct(r.data!.county.appearanceRate)),
                  },
                ]}
              />
            </Suspense>
          )}
        </Card>
        <Card size="small">
          {!loaded ? (
            <Spin />
          ) : (
            <Suspense fallback={<Spin />}>
              <Chart
                title="逾期事项与新增案件"
                label={`全县逾期未办事项与新增案件数，${quarters[0]!.label}至${quarters.at(-1)!.label}`}
                categories={quarters.map((q) => `${q.year}Q${q.q}`)}
                series={[
                  {
                    name: '新增案件',
                    type: 'bar',
                    color: '#0958d9',
                    data: results.map((r) => r.data!.county.registered.total.count),
                  },
                  {
                    name: '逾期未办',
                    type: 'bar',
                    color: '#c41d1d',
                    data: results.map((r) => overdueOf(r.data!.county)),
                  },
                ]}
              />
            </Suspense>
          )}
        </Card>
        {current && agencies.length > 0 && (
          <Card size="small">
            <Suspense fallback={<Spin />}>
              <Chart
                title={`${qt.label} 各单位逾期事项`}
                label={`${qt.label}各单位逾期未办事项数`}
                categories={agencies.map((a) => agencyName(dir, a).replace(/^县/, ''))}
                series={[
                  {
                    name: '逾期未办',
                    type: 'bar',
                    color: '#c41d1d',
                    data: agencies.map((a) => overdueOf(current.agencies[a]!)),
                  },
                  {
                    name: '逾期办结',
                    type: 'bar',
                    color: '#a15c00',
                    data: agencies.map((a) => current.agencies[a]!.duties.doneLate.length),
                  },
                ]}
              />
            </Suspense>
          </Card>
        )}
      </div>
      <Reports person={person} quarters={quarters} />
    </Space>
  );
}

type Letter = { letterId: string; agencyId: string };
type LetterState = {
  id?: string;
  status?: string;
  answer?: string | null;
  dueDate?: string | null;
  answeredAt?: string | null;
};

/** Quarterly reports (when generated) with their 工作提醒函, download links, and the agency's answer form. */
function Reports({ person, quarters }: { person: Person; quarters: Quarter[] }) {
  const { data: dir } = useDirectory();
  const reports = useQueries({
    queries: quarters.map((q) => ({
      queryKey: ['quarterly', q.year, q.q],
      retry: false,
      queryFn: async () => {
        const r = await api.GET('/api/reports/quarterly/{year}/{quarter}', {
          params: { path: { year: q.year, quarter: q.q }, query: { format: 'json' } },
        });
        if (r.response.status === 404) return null;
        if (!r.response.ok) throw new Error(String(r.response.status));
        return r.data as unknown as { figures?: { letters?: Letter[] }; generatedAt?: string };
      },
    })),
  });
  const letters = reports.flatMap((r, i) =>
    (r.data?.figures?.letters ?? []).map((l) => ({ ...l, quarter: quarters[i]! })),
  );
  const [answering, setAnswering] = useState<string | null>(null);
  return (
    <>
      <Card title="季度通报" size="small">
        <ScrollTable
          label="季度通报"
          rowKey={(r) => r.label}
          dataSource={quarters.map((q, i) => ({ ...q, report: reports[i]?.data, pending: reports[i]?.isPending }))}
          pagination={false}
          size="small"
          columns={[
            { title: '季度', dataIndex: 'label' },
            { title: '状态', key: 's', render: (_, r) => (r.pending ? '…' : r.report ? '已生成' : '尚未生成') },
            {
              title: '文件',
              key: 'd',
              render: (_, r) =>
                r.report ? (
                  <a href={`/api/reports/quarterly/${r.year}/${r.q}/document.docx`}>
                    <FileWordOutlined /> 下载通报（Word）
                  </a>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card title="工作提醒函" size="small">
        <ScrollTable
          label="工作提醒函"
          rowKey="letterId"
          dataSource={letters}
          pagination={false}
          size="small"

          locale={{ emptyText: '暂无工作提醒函' }}
          columns={[
            { title: '编号', dataIndex: 'letterId' },
            { title: '单位', key: 'a', render: (_, l) => agencyName(dir, l.agencyId) },
            { title: '状态', key: 's', render: (_, l) => <LetterStatus id={l.letterId} /> },
            {
              title: '操作',
              key: 'x',
              render: (_, l) => (
                <Space>
                  <a href={`/api/reports/letters/${l.letterId}/document.docx`}>
                    <FileWordOutlined /> 下载（Word）
                  </a>
                  {person.principal.role === 'agency' && person.principal.agencyId === l.agencyId && (
                    <Button size="small" type="primary" onClick={() => setAnswering(l.letterId)}>
                      反馈整改措施
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <AnswerModal letterId={answering} onClose={() => setAnswering(null)} />
    </>
  );
}

function LetterStatus({ id }: { id: string }) {
  const q = useQuery({
    queryKey: ['letter', id],
    queryFn: async () =>
      (await must(api.GET('/api/reports/letters/{letterId}', { params: { path: { letterId: id } } }))) as LetterState,
  });
  const words: Record<string, string> = { issued: '已发出', acknowledged: '已签收', answered: '已反馈' };
  return <span>{q.data ? (words[q.data.status ?? ''] ?? q.data.status) : ''}</span>;
}

function AnswerModal({ letterId, onClose }: { letterId: string | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const [refusal, setRefusal] = useState<string[]>([]);
  const qc = useQueryClient();
  const answer = useMutation({
    mutationFn: (measures: string) =>
      must(
        api.POST('/api/reports/letters/{letterId}/answer', {
          params: { path: { letterId: letterId! } },
          body: { measures },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['letter', letterId] });
      form.resetFields();
      onClose();
    },
    onError: (err) =>
      setRefusal(
        err instanceof ApiError && err.issues.length
          ? showIssues(form, err.issues, zh)
          : [err instanceof ApiError ? err.zh : '网络错误'],
      ),
  });
  return (
    <Modal
      open={!!letterId}
      title="反馈整改措施"
      okText="提交"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={answer.isPending}
      destroyOnHidden
    >
      {refusal.length > 0 && (
        <Alert type="error" role="alert" showIcon title={refusal.join('；')} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        name="answer"
        onFinish={({ measures }: { measures: string }) => answer.mutate(measures.trim())}
      >
        <Form.Item
          name="measures"
          label="整改措施"
          rules={[{ required: true, whitespace: true, message: '请填写整改措施' }]}
        >
          <Input.TextArea autoSize={{ minRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
