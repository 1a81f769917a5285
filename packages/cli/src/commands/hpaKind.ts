import type { ResourceKind } from './get.js';
import { formatAge, formatTable } from '../table.js';

type Row = Record<string, unknown>;
type Status = { currentReplicas: number | null; desiredReplicas: number | null; currentCPUUtilizationPercentage: number | null };
type Effective = { minReplicas: number; maxReplicas: number; targetCPUUtilizationPercentage: number };

/** `hms-sys get hpa`: the seed's columns NAME CPU% TARGET MIN MAX CURRENT, then extras. */
export const HPA_KIND: ResourceKind = {
  names: ['hpa', 'horizontalpodautoscalers', 'autoscalers', 'autoscaler'],
  path: () => '/v1/autoscalers',
  table: (rows, wide) =>
    formatTable(
      ['NAME', 'CPU%', 'TARGET', 'MIN', 'MAX', 'CURRENT', 'DESIRED', 'AGE', ...(wide ? ['NAMESPACE', 'LAST-SCALE', 'CONDITION'] : [])],
      rows.map((r: Row) => {
        const s = r.status as Status & { lastScaleTime: string | null; conditions: { type: string; status: string; reason: string }[] };
        const e = r.effective as Effective;
        const worst = s.conditions.find((c) => c.status === 'False') ?? s.conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
        return [
          r.name,
          s.currentCPUUtilizationPercentage === null ? '<unknown>' : `${s.currentCPUUtilizationPercentage}%`,
          `${e.targetCPUUtilizationPercentage}%`,
          e.minReplicas,
          e.maxReplicas,
          s.currentReplicas ?? '<unknown>',
          s.desiredReplicas ?? '<unknown>',
          formatAge(r.created as string),
          ...(wide ? [r.namespace, s.lastScaleTime ? `${formatAge(s.lastScaleTime)} ago` : '<never>', worst ? `${worst.type}=${worst.status} ${worst.reason}` : 'ok'] : []),
        ];
      }),
    ),
};
