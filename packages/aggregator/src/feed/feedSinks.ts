import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { FeedEvent } from '../events/eventTypes.js';
import type { FeedSink } from './feedConsumer.js';

/** Close code for "you fell behind; resume with since=SEQ". */
export const FEED_TOO_SLOW = 4008;

/** The feed over a WebSocket: one JSON text message per event. */
export class WebSocketSink implements FeedSink {
  closed = false;

  constructor(private readonly ws: WebSocket) {
    ws.on('close', () => { this.closed = true; });
    ws.on('error', () => { this.closed = true; });
  }

  write(event: FeedEvent): void {
    if (!this.closed) this.ws.send(JSON.stringify(event));
  }

  buffered(): number {
    return this.ws.bufferedAmount;
  }

  whenDrained(fn: () => void): void {
    const poll = (): void => {
      if (this.closed || this.ws.bufferedAmount < 64 * 1024) fn();
      else setTimeout(poll, 20).unref();
    };
    setTimeout(poll, 20).unref();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(FEED_TOO_SLOW, reason.slice(0, 120));
  }
}

/** The feed as Server-Sent Events: `id: SEQ` and `data: JSON` per event, so EventSource resumes with Last-Event-ID. */
export class SseSink implements FeedSink {
  closed = false;
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.keepalive = setInterval(() => res.write(': keepalive\n\n'), 15_000);
    this.keepalive.unref();
    res.on('close', () => {
      this.closed = true;
      clearInterval(this.keepalive);
    });
  }

  write(event: FeedEvent): void {
    if (!this.closed) this.res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  buffered(): number {
    return this.res.writableLength;
  }

  whenDrained(fn: () => void): void {
    if (this.closed) return fn();
    this.res.once('drain', fn);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.res.end(`event: error\ndata: ${JSON.stringify({ reason })}\n\n`);
  }
}
