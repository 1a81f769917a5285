import { hmsError } from '@hms-sys/common';
import { isWorkloadManager, type ClusterDriver, type WorkloadManager } from '../drivers/types.js';
import type { Router } from './router.js';

/**
 * GET /v1/deployments everywhere; POST /v1/apply and DELETE /v1/deployments/NS/NAME where the
 * driver runs workloads itself (the driver records deployment.changed events; the router audits
 * the caller as api.write).
 */
export function addWorkloadRoutes(router: Router, driver: ClusterDriver): void {
  const manager = (): WorkloadManager => {
    if (!isWorkloadManager(driver)) {
      throw hmsError('HMS_UNSUPPORTED', `the ${driver.kind} driver does not run workloads itself`, { hint: 'on Kubernetes, use kubectl apply / delete' });
    }
    return driver;
  };
  router
    .add('GET', '/v1/deployments', 'viewer', () => ({ body: driver.deployments() }))
    .add('POST', '/v1/apply', 'operator', async (req) => {
      const m = manager();
      const text = await req.text();
      if (text.trim() === '') throw hmsError('HMS_INPUT_INVALID', 'empty manifest');
      return { body: m.apply(text) };
    })
    .add('DELETE', '/v1/deployments/:ns/:name', 'operator', (req) => {
      const m = manager();
      const ns = req.params.ns ?? '';
      const name = req.params.name ?? '';
      if (!driver.deployments().some((d) => d.namespace === ns && d.name === name)) {
        throw hmsError('HMS_NOT_FOUND', `deployment ${ns}/${name} not found`);
      }
      return { body: { deleted: true, namespace: ns, name, ...m.deleteDeployment(ns, name) } };
    });
}
