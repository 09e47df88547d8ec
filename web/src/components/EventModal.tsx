import { Alert, Form, Modal, Spin } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, ApiError, must } from '../api/client';
import { requestSchema, useOpenApi, type JsonSchema } from '../api/hooks';
import { eventFieldLabels, eventLabels, zh } from '../labels';
import { ObjectFields, showIssues, toApiValues, type SchemaFormContext } from './SchemaForm';

export interface EventTarget {
  caseId: string;
  type: string;
  /** Values to start from (e.g. the hearing of a deputy awaiting approval). */
  initial?: Record<string, unknown>;
}

/** One case event's form, generated from that event's schema in the API's discriminated union. */
export function EventModal({
  target,
  ctx,
  onClose,
  onDone,
}: {
  target: EventTarget | null;
  ctx: SchemaFormContext;
  onClose: () => void;
  onDone?: () => void;
}) {
  const { data: doc } = useOpenApi();
  const [form] = Form.useForm();
  const [refusal, setRefusal] = useState<string[]>([]);
  const qc = useQueryClient();
  const schema = useMemo<JsonSchema | undefined>(
    () =>
      requestSchema(doc, '/api/cases/{caseId}/events')?.oneOf?.find(
        (o) => o.properties?.type?.enum?.[0] === target?.type,
      ),
    [doc, target?.type],
  );
  const send = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      must(
        api.POST('/api/cases/{caseId}/events', { params: { path: { caseId: target!.caseId } }, body: body as never }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries();
      onDone?.();
      close();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.issues.length) setRefusal(showIssues(form, err.issues, zh));
      else setRefusal([err instanceof ApiError ? err.zh : '网络错误，请稍后再试']);
    },
  });
  const close = () => {
    form.resetFields();
    setRefusal([]);
    onClose();
  };
  const title = target ? (eventLabels[target.type] ?? target.type) : '';
  return (
    <Modal
      open={!!target}
      title={title}
      okText="提交"
      cancelText="取消"
      onCancel={close}
      confirmLoading={send.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
      forceRender
    >
      {refusal.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title="未能提交"
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
          name={`event-${target?.type}`}
          initialValues={target?.initial}
          onFinish={(values) => {
            setRefusal([]);
            send.mutate({ ...toApiValues(schema, { ...values, type: target!.type }), type: target!.type });
          }}
        >
          {Object.keys(schema.properties ?? {}).length <= 1 && <p>确认{title}？</p>}
          <ObjectFields schema={schema} ctx={{ ...ctx, labels: eventFieldLabels[target!.type] }} skip={['type']} />
        </Form>
      )}
    </Modal>
  );
}
