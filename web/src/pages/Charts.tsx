// The statistics charts: ECharts loaded only here (a lazy chunk), with only the parts used.
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  AriaComponent,
  CanvasRenderer,
]);

export type Series = {
  name: string;
  type: 'bar' | 'line';
  data: (number | null)[];
  color: string;
  yAxisIndex?: number;
};

/** One chart; `label` is what screen readers hear (ECharts' aria description adds the data). */
export default function Chart({
  title,
  categories,
  series,
  percent,
  label,
}: {
  title: string;
  categories: string[];
  series: Series[];
  percent?: boolean;
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(el.current!, undefined, { renderer: 'canvas' });
    chart.setOption({
      aria: { enabled: true, label: { description: label } },
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (v === null || v === undefined ? '无' : percent ? `${v}%` : String(v)),
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: [{ type: 'value', axisLabel: { formatter: percent ? '{value}%' : '{value}' }, minInterval: 1 }],
      series: series.map((s) => ({
        ...s,
        itemStyle: { color: s.color },
        lineStyle: { color: s.color },
        label: { show: s.type === 'bar', position: 'top', formatter: percent ? '{c}%' : '{c}' },
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [title, categories, series, percent, label]);
  return <div ref={el} className="chart" role="img" aria-label={label} data-testid="chart" />;
}
