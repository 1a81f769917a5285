import { Registry } from 'prom-client';
import { ChunkedGauge, DEFAULT_SLICE_MS } from './chunkedGauge.js';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A registry's Prometheus text exposition — byte for byte what `registry.metrics()` returns —
 * as pieces (strings and UTF-8 bytes) to be written in order, rendered without blocking the
 * event loop for long:
 * ChunkedGauge families render in slices of about `sliceMs`, other families one at a time
 * with a yield between them once a slice is used up. (OpenMetrics registries are rendered by
 * prom-client in one go.)
 */
export async function renderExposition(registry: Registry, sliceMs = DEFAULT_SLICE_MS): Promise<Array<string | Uint8Array>> {
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return [await registry.metrics()];
  const pieces: Array<string | Uint8Array> = [];
  let deadline = performance.now() + sliceMs;
  let first = true;
  for (const metric of registry.getMetricsAsArray() as readonly object[]) {
    // registry.metrics() joins families with a blank line and ends with a newline.
    if (!first) pieces.push('\n\n');
    first = false;
    if (metric instanceof ChunkedGauge) {
      pieces.push(...(await metric.renderChunks(sliceMs)));
      deadline = performance.now() + sliceMs;
    } else {
      pieces.push(await registry.getSingleMetricAsString((metric as { name: string }).name));
      if (performance.now() >= deadline) {
        await yieldToLoop();
        deadline = performance.now() + sliceMs;
      }
    }
  }
  pieces.push('\n');
  return pieces;
}
