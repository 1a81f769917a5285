import type { ProcessExit } from '../../../src/drivers/local/exitReason.js';
import type { LaunchedProcess, LaunchSpec, ProcessLauncher } from '../../../src/drivers/local/processLauncher.js';
import type { PodLaunch, PodRuntime, RunningPod } from '../../../src/drivers/local/podRuntime.js';
import type { ContainerStatus } from '../../../src/drivers/local/processSupervisor.js';

/** A process the test ends by hand. */
export class FakeProcess implements LaunchedProcess {
  readonly exited: Promise<ProcessExit>;
  readonly signals: string[] = [];
  private resolve!: (e: ProcessExit) => void;
  done = false;
  constructor(readonly pid: number, readonly spec: LaunchSpec, private readonly exitOnTerm: boolean) {
    this.exited = new Promise((r) => (this.resolve = r));
  }
  exit(e: ProcessExit): void {
    if (this.done) return;
    this.done = true;
    this.resolve(e);
  }
  signal(sig: NodeJS.Signals): void {
    this.signals.push(sig);
    if (sig === 'SIGKILL' || (sig === 'SIGTERM' && this.exitOnTerm)) this.exit({ code: null, signal: sig });
  }
}

export class FakeLauncher implements ProcessLauncher {
  readonly launched: FakeProcess[] = [];
  private nextPid = 1000;
  exitOnTerm = true;
  launch(spec: LaunchSpec): FakeProcess {
    const p = new FakeProcess(this.nextPid++, spec, this.exitOnTerm);
    this.launched.push(p);
    return p;
  }
  last(): FakeProcess {
    const p = this.launched[this.launched.length - 1];
    if (!p) throw new Error('nothing launched');
    return p;
  }
}

/** A pod runtime whose pods are running (and ready unless told otherwise) as soon as they start. */
export class FakeRuntime implements PodRuntime {
  readonly started: PodLaunch[] = [];
  readonly stopped: { uid: string; graceMs: number }[] = [];
  readonly ready = new Map<string, boolean>();
  private readonly notify = new Map<string, () => void>();
  readyByDefault = true;

  start(pod: PodLaunch, onChange: () => void): RunningPod {
    this.started.push(pod);
    this.notify.set(pod.uid, onChange);
    if (!this.ready.has(pod.uid)) this.ready.set(pod.uid, this.readyByDefault);
    queueMicrotask(onChange);
    return {
      containers: (): ContainerStatus[] =>
        pod.containers.map((c, i) => ({ name: c.name, state: 'running', ready: this.ready.get(pod.uid) ?? false, restartCount: 0, everStarted: true, pid: 100 + i })),
      stop: async (graceMs) => {
        this.stopped.push({ uid: pod.uid, graceMs });
      },
      abandon: () => {},
    };
  }

  setReady(uid: string, ready: boolean): void {
    this.ready.set(uid, ready);
    this.notify.get(uid)?.();
  }
}

/** Lets queued microtasks and promise chains run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
