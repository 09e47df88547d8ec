import { Table, type TableProps } from 'antd';

/**
 * A table that scrolls sideways on narrow screens inside a focusable region, so keyboard users can scroll it too
 * (antd's own `scroll.x` container cannot take focus).
 */
export function ScrollTable<T extends object>({ label, ...props }: TableProps<T> & { label: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <Table<T> {...props} />
    </div>
  );
}
