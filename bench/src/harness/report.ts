import type { BenchReport, BenchResult, Metric } from './types';

/** Formats a value with its unit; `null` reads "never" (or "—" when there is no such side). */
export function formatValue(value: number | null, unit: string, missing = 'never'): string {
  if (value === null) return missing;
  if (unit === 'bytes') {
    return value >= 1000 ? `${(value / 1000).toFixed(2)} kB` : `${Math.round(value)} B`;
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

function formatRatio(metric: Metric): string {
  if (metric.ratio === null) return '—';
  const fmt = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
  if (metric.ratioMeaning === 'ours/baseline') return `${fmt(metric.ratio)}× baseline`;
  if (metric.ratio === 0) return '—';
  return metric.ratio >= 1 ? `${fmt(metric.ratio)}× better` : `${fmt(1 / metric.ratio)}× worse`;
}

function metricCells(result: BenchResult, metric: Metric): string[] {
  const hasBaseline = result.baseline !== '';
  return [
    `${metric.name}${metric.note ? ` (${metric.note})` : ''}`,
    formatValue(metric.ours, metric.unit),
    hasBaseline
      ? formatValue(
          metric.baseline,
          metric.unit,
          metric.ratio === null && metric.baseline === null ? 'never' : '—',
        )
      : '—',
    formatRatio(metric),
    metric.target === undefined ? '' : formatValue(metric.target, metric.unit),
  ];
}

/** One benchmark as a markdown section. */
export function benchMarkdown(result: BenchResult): string {
  const lines = [`### ${result.title}`, ''];
  const verdict =
    result.targetMet === null ? 'not judged' : result.targetMet ? '**met**' : '**missed**';
  lines.push(`Target: ${result.target} — ${verdict}.`, '');
  if (result.status !== 'ok') {
    lines.push(
      `Status: ${result.status}${result.error ? `: ${result.error.split('\n')[0]}` : ''}`,
      '',
    );
    if (!result.rows.length) return lines.join('\n');
  }
  lines.push(
    `Ours: ${result.ours}. Baseline: ${result.baseline || 'none'}. ` +
      `Median of ${result.runs} run(s) after ${result.warmups} warm-up(s); ${(result.durationMs / 1000).toFixed(1)} s.`,
    '',
    '| Case | Metric | Ours | Baseline | Ratio | Target |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const row of result.rows) {
    for (const metric of row.metrics) {
      lines.push(`| ${[row.case, ...metricCells(result, metric)].join(' | ')} |`);
    }
  }
  if (result.notes.length) {
    lines.push('');
    for (const note of result.notes) lines.push(`- ${note}`);
  }
  return lines.join('\n');
}

/** The whole report as markdown (also what `pnpm bench` prints). */
export function reportMarkdown(report: BenchReport): string {
  const m = report.machine;
  const head = [
    `# Benchmark results${report.quick ? ' (quick mode: smoke numbers, not for comparison)' : ''}`,
    '',
    `${report.finishedAt} · Node ${m.node} · ${m.cpus} × ${m.cpuModel} · ${m.memoryGiB} GiB · ` +
      Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · '),
    '',
    ...(Math.max(m.loadAverage.start, m.loadAverage.end) > m.cpus
      ? [
          `**Noisy run:** load average ${m.loadAverage.start} → ${m.loadAverage.end} on ${m.cpus} cores: other processes competed for the CPU. Ratios (same run, alternating sides) hold up better than absolute times.`,
          '',
        ]
      : [`Load average ${m.loadAverage.start} → ${m.loadAverage.end} on ${m.cpus} cores.`, '']),
    '| Benchmark | Target | Met |',
    '| --- | --- | --- |',
    ...report.benchmarks.map(
      (b) =>
        `| ${b.title} | ${b.target} | ${b.targetMet === null ? b.status : b.targetMet ? 'yes' : 'no'} |`,
    ),
  ];
  return [head.join('\n'), ...report.benchmarks.map(benchMarkdown)].join('\n\n') + '\n';
}
