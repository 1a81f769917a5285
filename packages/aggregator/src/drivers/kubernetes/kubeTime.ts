/**
 * Timestamps from the API. Objects from a typed list call carry `Date`s (client-node deserialises
 * them); objects from a watch stream carry RFC 3339 strings. Both are accepted.
 */
export function toMs(value: unknown): number | undefined {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value === 'string' && value !== '') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** RFC 3339 with second precision, as metav1.Time serialises (conditions' lastTransitionTime). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
