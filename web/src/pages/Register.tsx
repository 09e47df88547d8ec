import { Alert, Button, Card, Form, Result, Spin, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ScrollTable } from '../components/ScrollTable';
import { api, ApiError, must } from '../api/client';
import { requestSchema, useDirectory, useOpenApi } from '../api/hooks';
import { ObjectFields, shanghaiNow, showIssues, toApiValues } from '../components/SchemaForm';
import { urgencyOf, UrgencyTag } from '../components/Urgency';
import { zh } from '../labels';

type Duty = { id: string; title: string; dueDate: string; basis: string; status: string; provisional?: boolean };

/** 登记案件: the form is the registration schema of the API; the computed due dates come back in the answer. */
export default function Register() {
  const { data: doc } = useOpenApi();
  const { data: dir } = useDirectory();
  const [form] = Form.useForm();
  const [refusal, setRefusal] = useState<string[]>([]);
  const qc = useQueryClient();
  const schema = requestSchema(doc, '/api/cases');
  const register = useMutation({
    mutationFn: (body: Record<string, unknown>) => must(api.POST('/api/cases', { body: body as never })),
    onSuccess: () => void qc.invalidateQueries(),
    onError: (err) =>
      setRefusal(
        err instanceof ApiError && err.issues.length
          ? showIssues(form, err.issues, zh)
          : [err instanceof ApiError ? err.zh : '网络错误，请稍后再试'],
      ),
  });
  if (register.data) {
    const state = register.data as unknown as { caseId: string; title: string; duties: Duty[] };
    return (
      <Card>
        <Result
          status="success"
          title="案件已登记"
          subTitle={`${state.caseId} ${state.title}`}
          style={{ padding: 16 }}
        />
        <Typography.Title level={3} style={{ fontSize: 16 }}>
          已计算的期限
        </Typography.Title>
        <ScrollTable<Duty>
          label="已计算的期限"
          rowKey="id"
          dataSource={state.duties}
          pagination={false}
          size="small"

          columns={[
            { title: '事项', dataIndex: 'title' },
            {
              title: '截止日期',
              dataIndex: 'dueDate',
              render: (v: string, d) => (
                <span data-testid="due-date">
                  {v}
                  {d.provisional ? '（暂定）' : ''}
                </span>
              ),
            },
            {
              title: '状态',
              key: 's',
              render: (_, d) => (
                <UrgencyTag
                  urgency={urgencyOf({ status: d.status, workingDaysLeft: d.status === 'overdue' ? -1 : 99 })}
                />
              ),
            },
            { title: '依据', dataIndex: 'basis' },
          ]}
        />
        <div style={{ marginTop: 16, display: 'flex', gap: 8 }}>
          <Link to={`/cases/${encodeURIComponent(state.caseId)}`}>查看案件</Link>
          <Button onClick={() => register.reset()}>继续登记</Button>
        </div>
      </Card>
    );
  }
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          登记案件
        </Typography.Title>
      }
    >
      {refusal.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title="未能登记"
          description={refusal.map((r) => (
            <div key={r}>{r}</div>
          ))}
        />
      )}
      {!schema ? (
        <Spin />
      ) : (
        <Form
          form={form}
          layout="vertical"
          name="register"
          style={{ maxWidth: 640 }}
          initialValues={{ trigger: { receivedAt: shanghaiNow() } }}
          onFinish={(values) => {
            setRefusal([]);
            register.mutate(toApiValues(schema, values));
          }}
        >
          <ObjectFields schema={schema} ctx={{ agencies: dir?.agencies }} />
          <Button type="primary" htmlType="submit" loading={register.isPending}>
            登记
          </Button>
        </Form>
      )}
    </Card>
  );
}
