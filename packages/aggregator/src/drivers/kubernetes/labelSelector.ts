import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * `metav1.LabelSelector` semantics (matchLabels AND every matchExpression). Pure.
 * An empty selector (`{}`) selects everything; a missing one (undefined) selects nothing, which is
 * how policy/v1 PodDisruptionBudgets treat them.
 */
export function selectorMatches(selector: V1LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An operator we do not know selects nothing rather than everything (fail closed).
        return false;
    }
  }
  return true;
}
