import { parseManifests } from '../../src/drivers/local/manifests.js';
import type { ApplyOutcome, WorkloadManager } from '../../src/drivers/types.js';
import { FakeDriver } from './fakeDriver.js';

/** FakeDriver that also takes manifests (POST /v1/apply), parsed by the local driver's real parser. */
export class WorkloadFakeDriver extends FakeDriver implements WorkloadManager {
  apply(text: string): ApplyOutcome {
    const parsed = parseManifests(text);
    const results = parsed.manifests.map((m) => {
      const { name, namespace } = m;
      if (m.kind === 'Deployment' && !this.deploymentList.some((d) => d.name === name && d.namespace === namespace)) this.addDeployment(name, 1, 100, 'node-a', namespace);
      return { kind: m.kind, namespace, name, action: 'created' };
    });
    return { results, warnings: parsed.warnings };
  }

  deleteDeployment(namespace: string, name: string): { pods: number } {
    this.deploymentList = this.deploymentList.filter((d) => !(d.namespace === namespace && d.name === name));
    return { pods: 1 };
  }
}
