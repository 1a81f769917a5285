import { backoffDelay, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import {
  decodeAggregatorMessage, encodeAgentMessage, PROTOCOL_VERSION,
  type ICommand, type ICommandStatus, type IHello, type IMetricsBatch,
} from '@hms-sys/protocol';
import WebSocket from 'ws';
import { ReplayBuffer } from './replayBuffer.js';

/** TLS material for wss:// (extra CAs, optional client certificate). */
export interface StreamTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized?: boolean;
}

export interface StreamClientOptions {
  readonly url: string;
  /** The agent token, or a function asked at every connection attempt (token files rotate). */
  readonly token: string | undefined | (() => string | undefined);
  /** Builds the Hello for each (re)connection: node info may have changed (boot id, kernel). */
  readonly hello: () => IHello;
  readonly buffer: ReplayBuffer;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** No frame or ping from the aggregator for this long → the connection is presumed dead. */
  readonly idleTimeoutMs: number;
  /** Stop sending new frames while this many bytes wait in the socket (backpressure). */
  readonly highWaterBytes: number;
  /** TLS: extra CA certificates and optional client certificate (issue 8); a function is asked at every connection attempt (certificates rotate). */
  readonly tls?: StreamTls | (() => StreamTls);
}

export interface StreamEvents {
  onCommand?(cmd: ICommand): void;
  onConnected?(): void;
  onDisconnected?(reason: string): void;
}

/**
 * The agent's half of the stream: connects, says hello, resends what the aggregator has not
 * acknowledged, sends new batches in seq order, and reconnects with capped exponential back-off
 * and full jitter. At-least-once delivery; the aggregator discards duplicates.
 */
export class StreamClient {
  private ws: WebSocket | undefined;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  /** Reconnections since start (metric). */
  reconnects = 0;
  /** Last reason the connection ended (health output). */
  lastError = '';

  constructor(
    private readonly opts: StreamClientOptions,
    private readonly events: StreamEvents,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {}

  get connected(): boolean {
    return this.ready;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnectTimer?.cancel();
    this.idleTimer?.cancel();
    const ws = this.ws;
    this.ws = undefined;
    this.ready = false;
    if (ws && ws.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { ws.terminate(); resolve(); }, 1000);
        ws.once('close', () => { clearTimeout(t); resolve(); });
        ws.close(1001, 'agent stopping');
      });
    } else {
      ws?.terminate();
    }
  }

  /** Queues a batch (encoded now) and sends whatever the connection can take. */
  sendBatch(batch: IMetricsBatch): void {
    this.opts.buffer.push(batch.seq as number, encodeAgentMessage({ metrics: batch }));
    this.flush();
  }

  /** Sends a command status now if connected; statuses are re-sent in Hello after reconnects. */
  sendStatus(status: ICommandStatus): boolean {
    if (!this.ready || !this.ws) return false;
    this.ws.send(encodeAgentMessage({ commandStatus: status }), { binary: true });
    return true;
  }

  /** Sends buffered batches not yet sent on this connection, while under the high-water mark. */
  flush(): void {
    const ws = this.ws;
    if (!this.ready || !ws || ws.readyState !== WebSocket.OPEN) return;
    for (const e of this.opts.buffer.takeUnsent(() => ws.bufferedAmount < this.opts.highWaterBytes)) {
      ws.send(e.bytes, { binary: true });
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const headers: Record<string, string> = {};
    const token = typeof this.opts.token === 'function' ? this.opts.token() : this.opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const tls = typeof this.opts.tls === 'function' ? this.opts.tls() : this.opts.tls;
    const ws = new WebSocket(this.opts.url, {
      headers,
      perMessageDeflate: false,
      maxPayload: 4 * 1024 * 1024,
      handshakeTimeout: 10_000,
      ...(tls ?? {}),
    });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      this.armIdle();
      this.opts.buffer.rewind();
      ws.send(encodeAgentMessage({ hello: { ...this.opts.hello(), protocolVersion: PROTOCOL_VERSION } }), { binary: true });
    });
    ws.on('message', (data: Buffer) => this.onFrame(ws, data));
    ws.on('ping', () => this.armIdle());
    ws.on('unexpected-response', (_req, res) => {
      this.lastError = `aggregator answered HTTP ${res.statusCode}`;
      if (res.statusCode === 401 || res.statusCode === 403) this.logger.error({ status: res.statusCode }, 'aggregator refused the agent token');
      ws.terminate();
    });
    ws.on('error', (err) => {
      this.lastError = err.message;
      this.logger.debug({ err: err.message }, 'stream error');
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.idleTimer?.cancel();
      const wasReady = this.ready;
      this.ready = false;
      this.ws = undefined;
      const why = reason.length ? `${code} ${reason.toString()}` : this.lastError || String(code);
      if (wasReady) {
        this.logger.warn({ code, reason: reason.toString() }, 'disconnected from aggregator');
        this.events.onDisconnected?.(why);
      }
      this.lastError = why;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.max(100, backoffDelay(this.attempt, this.opts.backoffBaseMs, this.opts.backoffCapMs, this.random));
    this.attempt++;
    this.reconnects++;
    this.logger.debug({ delayMs: delay, attempt: this.attempt }, 'reconnecting');
    this.reconnectTimer = this.clock.setTimeout(() => this.connect(), delay);
  }

  private armIdle(): void {
    this.idleTimer?.cancel();
    this.idleTimer = this.clock.setTimeout(() => {
      this.lastError = `no frame or ping from the aggregator for ${this.opts.idleTimeoutMs} ms`;
      this.logger.warn(this.lastError);
      this.ws?.terminate();
    }, this.opts.idleTimeoutMs);
  }

  private onFrame(ws: WebSocket, data: Buffer): void {
    this.armIdle();
    let msg;
    try {
      msg = decodeAggregatorMessage(data);
    } catch (err) {
      this.logger.error({ err: String(err) }, 'undecodable frame from aggregator; reconnecting');
      ws.close(1007, 'undecodable frame');
      return;
    }
    if (msg.welcome) {
      this.ready = true;
      this.attempt = 0;
      this.opts.buffer.ack(Number(msg.welcome.lastAckedSeq ?? 0));
      this.logger.info({ resend: this.opts.buffer.size, url: this.opts.url }, 'connected to aggregator');
      this.events.onConnected?.();
      this.flush();
    } else if (msg.ack) {
      this.opts.buffer.ack(Number(msg.ack.seq ?? 0));
      this.flush();
    } else if (msg.command) {
      this.events.onCommand?.(msg.command);
    }
  }
}
