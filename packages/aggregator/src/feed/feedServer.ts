import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { hmsError } from '@hms-sys/common';
import { WebSocketServer } from 'ws';
import type { EventLog } from '../events/eventLog.js';
import type { FeedEvent } from '../events/eventTypes.js';
import type { ApiTokens } from '../http/apiTokens.js';
import type { KeyedRateLimiter } from '../http/rateLimiter.js';
import type { ApiRequest, Router } from '../http/router.js';
import { bearerToken } from '../http/tokenFile.js';
import { rejectUpgrade } from '../ingest/agentStreamServer.js';
import { DEFAULT_FEED_LIMITS, FeedConsumer, type FeedLimits } from './feedConsumer.js';
import { SseSink, WebSocketSink } from './feedSinks.js';

export const FEED_PATH = '/v1/feed';

/** Parses `since` (query, or SSE Last-Event-ID) and an optional `types=a,b` filter. */
function feedParams(url: URL, lastEventId: string | string[] | undefined): { since: number; filter: (e: FeedEvent) => boolean } {
  const raw = url.searchParams.get('since') ?? (Array.isArray(lastEventId) ? lastEventId[0] : lastEventId) ?? '0';
  const since = Number(raw);
  if (!Number.isSafeInteger(since) || since < 0) throw hmsError('HMS_INPUT_INVALID', `since must be a non-negative integer (got "${raw}")`);
  const types = url.searchParams.get('types');
  const wanted = types ? new Set(types.split(',').map((t) => t.trim()).filter(Boolean)) : undefined;
  return { since, filter: wanted ? (e) => wanted.has(e.type) : () => true };
}

/** Who may open how many feeds (issue 8); nothing is limited without them. */
export interface FeedAccess {
  /** Connection attempts per remote address; over it: 429. */
  readonly connectLimiter?: KeyedRateLimiter;
  /** Concurrent consumers per API token (by its name); more: 429. */
  readonly maxConsumersPerCaller?: number;
}

/**
 * /v1/feed — the HMS-OPS feed (SPEC §8) over WebSocket and Server-Sent Events, viewer token required.
 */
export class FeedServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4096 });
  private readonly consumers = new Set<FeedConsumer>();
  private readonly perCaller = new Map<string, number>();

  constructor(
    private readonly log: EventLog,
    private readonly tokens: ApiTokens,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
    private readonly access: FeedAccess = {},
  ) {}

  get consumerCount(): number {
    return this.consumers.size;
  }

  /** SSE: GET /v1/feed with Accept: text/event-stream (registered on the router for auth). */
  addRoutes(router: Router): void {
    router.add('GET', FEED_PATH, 'viewer', (req: ApiRequest) => {
      const url = new URL(req.raw.url ?? '/', 'http://x');
      const { since, filter } = feedParams(url, req.raw.headers['last-event-id']);
      const accept = req.raw.headers.accept ?? '';
      if (!accept.includes('text/event-stream')) {
        throw hmsError('HMS_USAGE', 'the feed is a stream: connect with WebSocket, or send Accept: text/event-stream (SSE); GET /v1/events pages it');
      }
      const caller = req.caller?.name ?? '?';
      const refused = this.admit(req.raw.socket.remoteAddress ?? '?', caller);
      if (refused) throw hmsError('HMS_RATE_LIMITED', refused);
      const sink = new SseSink(req.res);
      this.attach(sink, since, filter, () => sink.closed, caller);
      return undefined;
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.access.connectLimiter && this.access.connectLimiter.take(req.socket.remoteAddress ?? '?') !== 'ok') {
      return rejectUpgrade(socket, 429, 'Too Many Requests', 'too many feed connection attempts; retry later');
    }
    const token = bearerToken(req.headers.authorization);
    const caller = token ? this.tokens.authenticate(token) : undefined;
    if (!caller) return rejectUpgrade(socket, 401, 'Unauthorized', 'viewer token required');
    let params;
    try {
      params = feedParams(new URL(req.url ?? '/', 'http://x'), undefined);
    } catch (err) {
      return rejectUpgrade(socket, 400, 'Bad Request', String((err as Error).message));
    }
    const { since, filter } = params;
    const tooMany = this.admit(undefined, caller.name);
    if (tooMany) return rejectUpgrade(socket, 429, 'Too Many Requests', tooMany);
    // A handshake ws refuses never reaches the callback: give the slot back when the socket goes.
    let handedOver = false;
    socket.once('close', () => { if (!handedOver) this.release(caller.name); });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      handedOver = true;
      ws.on('message', () => undefined); // consumers have nothing to say; ignore
      const sink = new WebSocketSink(ws);
      const done = this.attach(sink, since, filter, () => sink.closed, caller.name);
      ws.once('close', done);
    });
  }

  close(): void {
    for (const c of this.consumers) c.stop();
    this.consumers.clear();
    for (const ws of this.wss.clients) ws.close(1001, 'aggregator shutting down');
    this.wss.close();
  }

  /**
   * Admits one more consumer for `caller` (counting it), or says why not. `remoteAddress`
   * undefined: the connection attempt was counted already.
   */
  private admit(remoteAddress: string | undefined, caller: string): string | undefined {
    if (remoteAddress !== undefined && this.access.connectLimiter && this.access.connectLimiter.take(remoteAddress) !== 'ok') {
      return 'too many feed connection attempts; retry later';
    }
    const max = this.access.maxConsumersPerCaller;
    const open = this.perCaller.get(caller) ?? 0;
    if (max !== undefined && open >= max) return `token ${caller} already has ${open} feed consumers (limit ${max}); close one first`;
    this.perCaller.set(caller, open + 1);
    return undefined;
  }

  private release(caller: string): void {
    const n = (this.perCaller.get(caller) ?? 1) - 1;
    if (n > 0) this.perCaller.set(caller, n);
    else this.perCaller.delete(caller);
  }

  /** Starts delivering to a consumer admitted for `caller`; returns the (idempotent) release. */
  private attach(sink: SseSink | WebSocketSink, since: number, filter: (e: FeedEvent) => boolean, closed: () => boolean, caller: string): () => void {
    const consumer = new FeedConsumer(this.log, sink, since, this.limits, filter);
    this.consumers.add(consumer);
    let released = false;
    const done = (): void => {
      consumer.stop();
      this.consumers.delete(consumer);
      if (released) return;
      released = true;
      this.release(caller);
    };
    if (sink instanceof SseSink) (sink as unknown as { res: { on(e: string, f: () => void): void } }).res.on('close', done);
    else setImmediate(function check() { if (closed()) done(); else setTimeout(check, 1000).unref(); });
    consumer.start();
    return done;
  }
}
