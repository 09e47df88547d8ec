import { CheckCircleFilled, ClockCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Tooltip } from 'antd';

export type Urgency = 'overdue' | 'soon' | 'ok' | 'done';

/** Overdue red, due within 3 working days amber, else green: always with a word and an icon, never colour alone. */
export function urgencyOf(d: { status: string; workingDaysLeft?: number | null }): Urgency {
  if (d.status === 'done' || d.status === 'waived') return 'done';
  if (d.status === 'overdue' || (d.workingDaysLeft ?? 0) < 0) return 'overdue';
  if ((d.workingDaysLeft ?? Infinity) <= 3) return 'soon';
  return 'ok';
}

// Dark enough for white text (WCAG AA, 4.5:1 and more).
export const urgencyStyle: Record<Urgency, { color: string; word: string; icon: React.ReactNode }> = {
  overdue: { color: '#c41d1d', word: '逾期', icon: <ExclamationCircleFilled /> },
  soon: { color: '#a15c00', word: '临期', icon: <ClockCircleFilled /> },
  ok: { color: '#2b7a0b', word: '正常', icon: <CheckCircleFilled /> },
  done: { color: '#595959', word: '已办', icon: <CheckCircleFilled /> },
};

export function UrgencyTag({ urgency, basis }: { urgency: Urgency; basis?: string | null }) {
  const s = urgencyStyle[urgency];
  const tag = (
    <span
      className={`urgency urgency-${urgency}`}
      data-urgency={urgency}
      style={{ background: s.color }}
      tabIndex={basis ? 0 : undefined}
    >
      {s.icon} {s.word}
    </span>
  );
  return basis ? <Tooltip title={`依据：${basis}`}>{tag}</Tooltip> : tag;
}

export function countdown(left: number | null | undefined, status: string): string {
  if (status === 'done') return '已完成';
  if (status === 'waived') return '已免除';
  if (left === null || left === undefined) return '';
  if (left < 0) return `已逾期 ${-left} 个工作日`;
  if (left === 0) return '今日到期';
  return `剩 ${left} 个工作日`;
}
