import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RouterStats {
  /** Offered load, requests per second. */
  readonly rps: number;
  /** Requests handed to workers and completed, since start. */
  readonly served: number;
  /** Requests shed because the backlog was full (nobody could take them in time), since start. */
  readonly shed: number;
  /** Requests waiting now. */
  readonly backlog: number;
  /** Workers that asked for work in the last 3 s. */
  readonly workers: number;
}

/**
 * The demo's shared work queue ("least-busy router"): requests arrive at `rps` per second into a
 * bounded backlog; every vote-api replica asks for up to `max` requests, does them, and asks
 * again, so busy replicas simply ask less often and the work spreads by itself. Requests that
 * wait longer than `maxBacklogSeconds` are shed, as an overloaded service would drop them.
 */
export class VoteRouter {
  private server: Server | undefined;
  private rpsNow = 0;
  private available = 0;
  private lastRefill = process.hrtime.bigint();
  private served = 0;
  private shed = 0;
  private readonly seen = new Map<string, number>();

  constructor(
    /** CPU each request costs a worker, ms. */
    readonly costMs = 1,
    readonly maxBacklogSeconds = 2,
  ) {}

  setRps(rps: number): void {
    this.refill();
    this.rpsNow = Math.max(0, rps);
  }

  stats(): RouterStats {
    this.refill();
    const now = Date.now();
    let workers = 0;
    for (const t of this.seen.values()) if (now - t < 3000) workers++;
    return { rps: this.rpsNow, served: this.served, shed: Math.round(this.shed), backlog: Math.floor(this.available), workers };
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/work') {
        const worker = url.searchParams.get('worker') ?? '?';
        this.seen.set(worker, Date.now());
        this.served += Math.max(0, Number(url.searchParams.get('done')) || 0);
        const max = Math.min(1000, Math.max(1, Number(url.searchParams.get('max')) || 10));
        this.grant(max, 200).then((units) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ units, costMs: this.costMs }));
        }, () => res.writeHead(500).end());
      } else if (url.pathname === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.stats()));
      } else {
        res.writeHead(404).end();
      }
    });
    this.server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private refill(): void {
    const now = process.hrtime.bigint();
    const dt = Number(now - this.lastRefill) / 1e9;
    this.lastRefill = now;
    this.available += this.rpsNow * dt;
    const cap = Math.max(1, this.rpsNow * this.maxBacklogSeconds);
    if (this.available > cap) {
      this.shed += this.available - cap;
      this.available = cap;
    }
  }

  /** Up to max whole requests, waiting up to waitMs for at least one. */
  private async grant(max: number, waitMs: number): Promise<number> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.refill();
      const n = Math.min(max, Math.floor(this.available));
      if (n > 0 || Date.now() >= deadline) {
        this.available -= n;
        return n;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
