/**
 * Scale-event history for `behavior` rate limits (reference §7.3 and §8).
 */
import type { AutoscalerHistory, Behavior, ScaleEvent, ScalingRules } from './types.js';

/** Sum of the changes of events strictly newer than `now - periodSeconds` (outdated flag ignored). */
export function replicaChangeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let total = 0;
  for (const e of events) if (e.timestampMs > cutoff) total += e.replicaChange;
  return total;
}

/** The count `periodSeconds` ago: current minus what was added plus what was removed since. */
export function periodStartReplicas(
  currentReplicas: number,
  history: Pick<AutoscalerHistory, 'scaleUpEvents' | 'scaleDownEvents'>,
  periodSeconds: number,
  nowMs: number,
): number {
  return (
    currentReplicas -
    replicaChangeInPeriod(history.scaleUpEvents, periodSeconds, nowMs) +
    replicaChangeInPeriod(history.scaleDownEvents, periodSeconds, nowMs)
  );
}

/** Longest policy period of one direction, seconds (0 without policies). */
export function longestPolicyPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/**
 * Records a rescale from `prev` to `next` (prev != next). Only with behavior: the legacy path keeps
 * no events. Events of that direction older than its longest policy period are marked outdated, and
 * the new event overwrites the *last* outdated one, else it is appended. Returns a new history.
 */
export function storeScaleEvent(
  history: AutoscalerHistory,
  behavior: Behavior | null,
  prev: number,
  next: number,
  nowMs: number,
): AutoscalerHistory {
  if (behavior === null || prev === next) return history;
  const up = next > prev;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const cutoff = nowMs - longestPolicyPeriod(rules) * 1000;
  const events = (up ? history.scaleUpEvents : history.scaleDownEvents).map((e) =>
    e.timestampMs < cutoff && !e.outdated ? { ...e, outdated: true } : e,
  );
  let reuse = -1;
  events.forEach((e, i) => {
    if (e.outdated) reuse = i;
  });
  const event: ScaleEvent = { replicaChange: Math.abs(next - prev), timestampMs: nowMs, outdated: false };
  if (reuse >= 0) events[reuse] = event;
  else events.push(event);
  return up ? { ...history, scaleUpEvents: events } : { ...history, scaleDownEvents: events };
}
