import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter } from 'react-router';
import { onUnauthorized } from './api/client';
import { useSession } from './api/session';
import { SignIn } from './pages/SignIn';

dayjs.locale('zh-cn');

// The sign-in page is all a first visit loads; the layout and its pages come once someone is signed in.
const Shell = lazy(() => import('./Shell'));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 10_000 } },
});

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      // Darker blue, red and greys than the defaults: links, danger buttons, placeholders and secondary text keep 4.5:1.
      theme={{
        token: {
          colorPrimary: '#0958d9',
          colorLink: '#0958d9',
          colorError: '#c41d1d',
          colorTextDescription: 'rgba(0,0,0,0.65)',
          colorTextTertiary: 'rgba(0,0,0,0.6)',
          colorTextQuaternary: 'rgba(0,0,0,0.56)',
          colorTextPlaceholder: 'rgba(0,0,0,0.56)',
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Root />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function Root() {
  const session = useSession();
  const qc = useQueryClient();
  useEffect(() => onUnauthorized(() => qc.setQueryData(['session'], null)), [qc]);
  if (session.isPending) return <Spin fullscreen />;
  if (session.isError) return <Result status="error" title="无法连接服务器" subTitle="请稍后刷新页面" />;
  if (!session.data) return <SignIn />;
  return (
    <Suspense fallback={<Spin fullscreen />}>
      <Shell person={session.data} />
    </Suspense>
  );
}
