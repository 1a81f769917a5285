import { hmsError } from '@hms-sys/common';
import { parseAutoscalerSpec } from '../autoscaler/parseAutoscaler.js';
import type { AutoscalerSpec } from '../autoscaler/types.js';

/**
 * Validates the `autoscaler` object of SPEC §5 (the PUT body of /v1/autoscalers/NS/NAME) and
 * applies the Kubernetes defaults. Every problem is reported at once (HMS_INPUT_INVALID).
 */
export function parseAutoscalerObject(value: unknown): AutoscalerSpec {
  const r = parseAutoscalerSpec(value);
  if (!r.ok) throw hmsError('HMS_INPUT_INVALID', `invalid autoscaler: ${r.error}`);
  return r.spec;
}
