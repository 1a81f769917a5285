// An in-memory cluster for the autoscaler benchmark (like the tests' FakeDriver): the pods the
// simulated agents report (same uids), grouped into Deployments of `podsPerDeployment`, each with
// a scaling rule whose target (50 %) matches its pods' steady CPU over their requests — so every
// rule is evaluated once per second without rescaling: the steady state of a large fleet.
import { join } from 'node:path';
import { dist, repoDist } from './common.js';

const { loadgen } = await import(repoDist('agent'));

/** The cluster: nodes sim-0..N-1, podsPerNode pods each, Deployments of podsPerDeployment pods. */
function cluster({ nodes, podsPerNode, containersPerPod, podsPerDeployment }) {
  const cores = loadgen.simulatedPodCores(podsPerNode, containersPerPod, 1000);
  const now = Date.now();
  const pods = [];
  const deployments = new Map();
  for (let n = 0; n < nodes; n++) {
    const sims = loadgen.simulatedPods(n, podsPerNode, containersPerPod);
    sims.forEach((sim, p) => {
      const g = n * podsPerNode + p;
      const name = `app-${Math.floor(g / podsPerDeployment)}`;
      pods.push({
        uid: sim.uid, namespace: 'bench', name: `${name}-${g % podsPerDeployment}`, node: `sim-${n}`, phase: 'Running', deleted: false,
        ready: true, readyTransitionMs: now - 3_600_000, startTimeMs: now - 3_600_000,
        // Requests at twice the steady usage: every pod runs at ~50 % of its request.
        containers: [{ name: 'app', cpuRequestMilli: Math.max(1, Math.round(cores[p] * 2000)) }], owner: { kind: 'Deployment', name },
      });
      const d = deployments.get(name) ?? { name, pods: 0 };
      d.pods++;
      deployments.set(name, d);
    });
  }
  return { pods, deployments: [...deployments.values()] };
}

export class RulesDriver {
  constructor(spec) {
    this.kind = 'local';
    const c = cluster(spec);
    this.podList = c.pods;
    this.deploymentList = c.deployments.map((d) => ({ namespace: 'bench', name: d.name, replicas: d.pods, readyReplicas: d.pods }));
    this.scaleCalls = 0;
    this.listeners = new Set();
  }
  async start() {}
  async stop() {}
  nodes() { return []; }
  pods() { return this.podList; }
  deployments() { return this.deploymentList; }
  disruptionBudgets() { return []; }
  synced() { return true; }
  onChange(l) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  async scale(namespace, name, replicas) {
    this.scaleCalls++;
    this.deploymentList = this.deploymentList.map((d) => (d.namespace === namespace && d.name === name ? { ...d, replicas } : d));
    for (const l of this.listeners) l('deployments');
  }
  async cordon() { return { alreadyCordoned: false }; }
  async uncordon() {}
  async evict() { return { kind: 'gone' }; }
}

/** Writes one rule per Deployment into the aggregator's database before it starts. */
export async function seedRules(dataDir, spec) {
  const { openDatabase } = await import(dist('aggregator', 'store/database.js'));
  const { AutoscalerStore, EMPTY_STATUS } = await import(dist('aggregator', 'scaling/autoscalerStore.js'));
  const c = cluster(spec);
  const db = openDatabase(join(dataDir, 'aggregator.db'));
  const store = new AutoscalerStore(db);
  const now = Date.now();
  db.transaction(() => {
    for (const d of c.deployments) {
      // Pods run at ~50 % of their requests: within the 10 % tolerance, nothing rescales.
      store.put('bench', d.name, { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 }, now);
    }
  })();
  // Steady state from the first second: each rule already holds the 5 minutes of 1 s
  // recommendations its (default 300 s) scale-down stabilization window keeps.
  const history = { recommendations: Array.from({ length: 300 }, (_, i) => ({ replicas: 2, timestampMs: now - (300 - i) * 1000 })), scaleUpEvents: [], scaleDownEvents: [] };
  store.saveStates(c.deployments.map((d) => ({ namespace: 'bench', name: d.name, history, status: EMPTY_STATUS })), now);
  db.close();
  return c.deployments.length;
}
