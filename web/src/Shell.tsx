import { Button, Layout, Menu, Result, Spin, Tag } from 'antd';
import {
  AuditOutlined,
  BarChartOutlined,
  FolderOpenOutlined,
  LogoutOutlined,
  ScheduleOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { lazy, Suspense, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { agencyName, leaderName, useDirectory } from './api/hooks';
import { useSignOut, type Person } from './api/session';
import { roleLabels } from './labels';
import { Todo } from './pages/Todo';

// 待办 comes with the layout; the other pages load when opened.
const Cases = lazy(() => import('./pages/Cases'));
const CaseDetail = lazy(() => import('./pages/CaseDetail'));
const Register = lazy(() => import('./pages/Register'));
const Leader = lazy(() => import('./pages/Leader'));
const Stats = lazy(() => import('./pages/Stats'));

const pages = [
  { key: '/todo', icon: <ScheduleOutlined />, label: '待办' },
  { key: '/cases', icon: <FolderOpenOutlined />, label: '案件' },
  { key: '/leader', icon: <AuditOutlined />, label: '领导' },
  { key: '/stats', icon: <BarChartOutlined />, label: '统计' },
];

export default function Shell({ person }: { person: Person }) {
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { data: dir } = useDirectory();
  const [collapsed, setCollapsed] = useState(window.innerWidth < 768);
  const p = person.principal;
  // The leader page is for leaders (and the bureau and operators, who see everything); an agency has no leader duties.
  const items = pages.filter((i) => i.key !== '/leader' || p.role !== 'agency');
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key ?? '/todo';
  const whose =
    p.role === 'agency' ? agencyName(dir, p.agencyId) : p.role === 'leader' ? leaderName(dir, p.leaderId) : '';
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
            void navigate(key);
            if (narrow()) setCollapsed(true);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <div className="who" style={{ marginLeft: narrow() ? 36 : 0 }}>
            <UserOutlined aria-hidden />
            <span className="name" data-testid="person">
              {person.name}
            </span>
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
                <Route
                  path="*"
                  element={
                    <Result
                      status="404"
                      title="页面不存在"
                      extra={<Button onClick={() => navigate('/todo')}>返回待办</Button>}
                    />
                  }
                />
              </Routes>
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
