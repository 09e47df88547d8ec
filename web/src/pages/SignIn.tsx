import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import { LoginOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { signIn, useProviders } from '../api/session';

const DEV_HINTS = [
  'dev-bureau',
  'dev-operator',
  'dev-agency-natural-resources',
  'dev-agency-hrss',
  'dev-leader-vice-head-li',
  'dev-leader-vice-head-zhang',
];

/** Token sign-in (exchanged for an httpOnly session cookie; never put in a URL or storage) and, when on, OIDC. */
export function SignIn() {
  const qc = useQueryClient();
  const { data: providers } = useProviders();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const oidc = providers?.oidc;
  const oidcOn = oidc === true || (typeof oidc === 'object' && oidc !== null && oidc.enabled === true);
  const oidcUrl = (typeof oidc === 'object' && oidc?.loginUrl) || '/auth/oidc/login';
  const development =
    providers?.development === true || providers?.mode === 'development' || providers?.tokens === 'development';
  const hints = (providers?.developmentTokens ?? DEV_HINTS).map((t) =>
    typeof t === 'string' ? { token: t, label: undefined } : t,
  );
  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f0f2f5',
        padding: 16,
      }}
    >
      <Card style={{ width: 420, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          行政应诉工作台
        </Typography.Title>
        <Typography.Paragraph style={{ textAlign: 'center', color: 'rgba(0,0,0,0.65)' }}>
          县司法局 · 涉诉行政机关 · 分管县领导
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          name="sign-in"
          onFinish={async ({ token }: { token: string }) => {
            setBusy(true);
            setError(undefined);
            try {
              await signIn(token.trim());
              await qc.invalidateQueries({ queryKey: ['session'] });
            } catch (err) {
              setError(
                err instanceof ApiError && (err.status === 401 || err.status === 400)
                  ? '令牌无效，请检查后重试'
                  : '登录失败，请稍后再试',
              );
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item name="token" label="访问令牌" rules={[{ required: true, message: '请输入访问令牌' }]}>
            <Input.Password autoComplete="current-password" placeholder="请输入访问令牌" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block icon={<LoginOutlined />} loading={busy}>
            登录
          </Button>
        </Form>
        {oidcOn && (
          <>
            <Divider plain>或</Divider>
            <Button block icon={<SafetyCertificateOutlined />} href={oidcUrl}>
              {(typeof oidc === 'object' && oidc?.name) || '统一身份认证'}登录
            </Button>
          </>
        )}
        {development && (
          <Alert
            style={{ marginTop: 16 }}
            type="info"
            title="开发环境令牌"
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {hints.map((h) => (
                  <li key={h.token}>
                    <code>{h.token}</code>
                    {h.label ? ` ${h.label}` : ''}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Card>
    </main>
  );
}
