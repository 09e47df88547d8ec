import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Result, Spin, Tag } from 'antd';
import { AuditOutlined, BarChartOutlined, FolderOpenOutlined, LogoutOutlined, ScheduleOutlined, UserOutlined } from '@ant-design/icons';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { onUnauthorized } from './api/client';
import { agencyName, leaderName, useDirectory } from './api/hooks';
import { useSession, useSignOut, type Person } from './api/session';
import { roleLabels } from './labels';
import { SignIn } from './pages/SignIn';
import { Todo } from './pages/Todo';

dayjs.locale('zh-cn');

// The first page (待办) is in the initial bundle; the others load when opened.
const Cases = lazy(() => import('./pages/Cases'));
const CaseDetail = lazy(() => import('./pages/CaseDetail'));
const Register = lazy(() => import('./pages/Register'));
const Leader = lazy(() => import('./pages/Leader'));
const Stats = lazy(() => import('./pages/Stats'));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 10_000 } } });

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
  return <Shell person={session.data} />;
}

const pages = [
  { key: '/todo', icon: <ScheduleOutlined />, label: '待办' },
  { key: '/cases', icon: <FolderOpenOutlined />, label: '案件' },
  { key: '/leader', icon: <AuditOutlined />, label: '领导' },
  { key: '/stats', icon: <BarChartOutlined />, label: '统计' },
];

function Shell({ person }: { person: Person }) {
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { data: dir } = useDirectory();
  const [collapsed, setCollapsed] = useState(window.innerWidth < 768);
  const p = person.principal;
  // The leader page is for leaders (and the bureau and operators, who see everything); an agency has no leader duties.
  const items = pages.filter((i) => i.key !== '/leader' || p.role !== 'agency');
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key ?? '/todo';
  const whose = p.role === 'agency' ? agencyName(dir, p.agencyId) : p.role === 'leader' ? leaderName(dir, p.leaderId) : '';
  const narrow = () => window.innerWidth < 768;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="md"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={180}
        zeroWidthTriggerStyle={{ top: 12 }}
        style={narrow() ? { position: 'fixed', height: '100vh', zIndex: 20, left: 0, top: 0 } : undefined}
      >
        <div className="console-brand">行政应诉工作台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={items}
          onClick={({ key }) => {
            navigate(key);
            if (narrow()) setCollapsed(true);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <div className="who" style={{ marginLeft: narrow() ? 36 : 0 }}>
            <UserOutlined aria-hidden />
            <span className="name" data-testid="person">{person.name}</span>
            <Tag className="role" color="blue">
              {roleLabels[p.role] ?? p.role}
              {whose && whose !== person.name ? ` · ${whose}` : ''}
            </Tag>
          </div>
          <Button icon={<LogoutOutlined />} onClick={() => void signOut().then(() => navigate('/'))}>
            退出登录
          </Button>
        </Layout.Header>
        <Layout.Content className="console-content">
          <main>
            <Suspense fallback={<Spin />}>
              <Routes>
                <Route path="/" element={<Navigate to="/todo" replace />} />
                <Route path="/todo" element={<Todo person={person} />} />
                <Route path="/cases" element={<Cases person={person} />} />
                <Route path="/cases/new" element={<Register />} />
                <Route path="/cases/:caseId" element={<CaseDetail person={person} />} />
                <Route path="/leader" element={<Leader person={person} />} />
                <Route path="/stats" element={<Stats person={person} />} />
                <Route path="*" element={<Result status="404" title="页面不存在" extra={<Button onClick={() => navigate('/todo')}>返回待办</Button>} />} />
              </Routes>
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
