import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { hmsError } from '@hms-sys/common';
import { WebSocketServer } from 'ws';
import type { EventLog } from '../events/eventLog.js';
import type { FeedEvent } from '../events/eventTypes.js';
import type { ApiTokens } from '../http/apiTokens.js';
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

/**
 * /v1/feed — the HMS-OPS feed (SPEC §8) over WebSocket and Server-Sent Events, viewer token required.
 */
export class FeedServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4096 });
  private readonly consumers = new Set<FeedConsumer>();

  constructor(
    private readonly log: EventLog,
    private readonly tokens: ApiTokens,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
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
      const sink = new SseSink(req.res);
      this.attach(sink, since, filter, () => sink.closed);
      return undefined;
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const token = bearerToken(req.headers.authorization);
    if (!token || !this.tokens.authenticate(token)) return rejectUpgrade(socket, 401, 'Unauthorized', 'viewer token required');
    let params;
    try {
      params = feedParams(new URL(req.url ?? '/', 'http://x'), undefined);
    } catch (err) {
      return rejectUpgrade(socket, 400, 'Bad Request', String((err as Error).message));
    }
    const { since, filter } = params;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', () => undefined); // consumers have nothing to say; ignore
      const sink = new WebSocketSink(ws);
      this.attach(sink, since, filter, () => sink.closed);
    });
  }

  close(): void {
    for (const c of this.consumers) c.stop();
    this.consumers.clear();
    for (const ws of this.wss.clients) ws.close(1001, 'aggregator shutting down');
    this.wss.close();
  }

  private attach(sink: SseSink | WebSocketSink, since: number, filter: (e: FeedEvent) => boolean, closed: () => boolean): void {
    const consumer = new FeedConsumer(this.log, sink, since, this.limits, filter);
    this.consumers.add(consumer);
    const done = (): void => {
      consumer.stop();
      this.consumers.delete(consumer);
    };
    if (sink instanceof SseSink) (sink as unknown as { res: { on(e: string, f: () => void): void } }).res.on('close', done);
    else setImmediate(function check() { if (closed()) done(); else setTimeout(check, 1000).unref(); });
    consumer.start();
  }
}
