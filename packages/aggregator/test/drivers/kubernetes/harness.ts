import { silentLogger, seededRandom } from '@hms-sys/common';
import { KubernetesDriver, type KubernetesDriverOptions } from '../../../src/drivers/kubernetes/kubernetesDriver.js';
import { FakeKubeApi } from '../../kit/fakeKubeApi/fakeKubeApi.js';

/** Polls until pred holds, at most timeoutMs (every wait in these tests is bounded). */
export async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fake API server plus drivers on it, with fast back-off; close() stops all of them. */
export class Cluster {
  readonly drivers: KubernetesDriver[] = [];
  private constructor(readonly api: FakeKubeApi) {}

  static async start(): Promise<Cluster> {
    return new Cluster(await new FakeKubeApi().start());
  }

  /** A driver on the fake (not started). */
  driver(opts: Partial<KubernetesDriverOptions> = {}): KubernetesDriver {
    const d = new KubernetesDriver({
      kubeConfig: this.api.kubeConfig(),
      logger: silentLogger(),
      random: seededRandom(7),
      listWatch: { backoffBaseMs: 40, backoffCapMs: 400, watchTimeoutSeconds: 60, pageSize: 2 },
      statusMinIntervalMs: 300,
      ...opts,
    });
    this.drivers.push(d);
    return d;
  }

  /** A started driver whose first lists are complete. */
  async syncedDriver(opts: Partial<KubernetesDriverOptions> = {}): Promise<KubernetesDriver> {
    const d = this.driver(opts);
    await d.start();
    await waitFor(() => d.synced(), 'driver synced');
    return d;
  }

  async close(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d.stop()));
    await this.api.close();
  }
}
