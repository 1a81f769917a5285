/** Renders rows as kubectl-style columns: upper-case headers, two spaces between columns. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '<none>' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd()).join('\n') + '\n';
}

/** "1.234" cores → "1234m" like kubectl top. */
export function formatMillicores(cores: number | null | undefined): string {
  if (cores === null || cores === undefined) return '<unknown>';
  return `${Math.round(cores * 1000)}m`;
}

/** Age like kubectl: 45s, 12m, 3h, 2d. */
export function formatAge(fromIso: string | null | undefined, nowMs = Date.now()): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.round((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '<unknown>';
  return `${Math.round(ratio * 100)}%`;
}
