import type { Logger } from '@hms-sys/common';
import {
  decodeAgentMessage, DecodeError, encodeAggregatorMessage, PROTOCOL_VERSION,
  type IAggregatorMessage, type ICommand, type ICommandStatus, type IHello, type IMetricsBatch,
} from '@hms-sys/protocol';
import type { WebSocket } from 'ws';
import { validateBatch } from './validateBatch.js';

/** WebSocket close codes the aggregator uses (RFC 6455 §7.4 plus the 4000-4999 private range). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  Unsupported: 1003,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  TooBig: 1009,
  InternalError: 1011,
  UnsupportedProtocol: 4000,
  Replaced: 4001,
  Misaddressed: 4003,
  Stale: 4008,
} as const;

/** Why a frame or connection was refused: the `reason` label of hms_sys_ingest_rejected_frames_total. */
export type RejectReason =
  | 'decode' | 'too_large' | 'text_frame' | 'no_hello' | 'bad_hello' | 'protocol_version'
  | 'invalid_batch' | 'unexpected_message' | 'node_mismatch' | 'unauthorized' | 'rate_limited';

/** What a session hands to the ingest core. */
export interface SessionHost {
  readonly logger: Logger;
  /** Node identity this connection's credential is bound to, if any (issue 8: per-node tokens). */
  hello(session: AgentSession, hello: IHello): { ok: true; lastAckedSeq: number } | { ok: false; code: number; reason: string; reject: RejectReason };
  /** A new batch (seq above everything processed): process it, then call done after it is durable. */
  batch(session: AgentSession, batch: IMetricsBatch, done: (err?: Error) => void): void;
  /** A replayed batch that was already processed (counted, discarded). */
  duplicate(session: AgentSession, seq: number): void;
  commandStatus(session: AgentSession, status: ICommandStatus): void;
  rejected(session: AgentSession, reason: RejectReason, detail: string): void;
  closed(session: AgentSession): void;
  nowMs(): number;
}

/**
 * One agent connection: hello first, then batches (acked once journalled) and command statuses.
 * Any protocol violation closes THIS connection with a code and reason; nothing here throws
 * into the event loop.
 */
export class AgentSession {
  node: string | undefined;
  streamId = '';
  /** Highest seq processed (committed or in flight) on this stream. */
  private processedSeq = 0;
  private committedSeq = 0;
  private closing = false;
  /** Set by the heartbeat: false after a ping, true on pong. */
  alive = true;
  readonly connectedAtMs: number;

  constructor(
    readonly ws: WebSocket,
    readonly remote: string,
    /** Node name the credential allows, or undefined for a fleet-wide bootstrap token. */
    readonly boundNode: string | undefined,
    private readonly host: SessionHost,
  ) {
    this.connectedAtMs = host.nowMs();
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('pong', () => { this.alive = true; });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws reports an over-limit frame as an error and closes with 1009 itself.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.reject('too_large', err.message, CloseCode.TooBig);
      else host.logger.debug({ err, node: this.node, remote }, 'agent socket error');
    });
    ws.on('close', () => host.closed(this));
  }

  get helloDone(): boolean {
    return this.node !== undefined;
  }

  send(msg: IAggregatorMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeAggregatorMessage(msg), { binary: true }, (err) => {
      if (err) this.host.logger.debug({ err, node: this.node }, 'send to agent failed');
    });
  }

  sendCommand(cmd: ICommand): boolean {
    if (!this.helloDone || this.ws.readyState !== this.ws.OPEN) return false;
    this.send({ command: cmd });
    return true;
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }

  /** Refuses this connection for a protocol violation. */
  reject(reason: RejectReason, detail: string, code: number): void {
    if (this.closing) return;
    this.host.rejected(this, reason, detail);
    this.close(code, `${reason}: ${detail}`);
  }

  private onMessage(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    if (this.closing) return;
    if (!isBinary) return this.reject('text_frame', 'binary protobuf frames only', CloseCode.Unsupported);
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let msg;
    try {
      msg = decodeAgentMessage(bytes);
    } catch (err) {
      const detail = err instanceof DecodeError ? err.message : 'undecodable frame';
      return this.reject('decode', `undecodable frame (${detail})`, CloseCode.InvalidPayload);
    }
    try {
      this.dispatch(msg.kind, msg.hello ?? undefined, msg.metrics ?? undefined, msg.commandStatus ?? undefined);
    } catch (err) {
      this.host.logger.error({ err, node: this.node }, 'ingest failed on a frame');
      this.close(CloseCode.InternalError, 'internal error');
    }
  }

  private dispatch(kind: string | undefined, hello?: IHello, batch?: IMetricsBatch, status?: ICommandStatus): void {
    if (!this.helloDone) {
      if (kind !== 'hello' || !hello) return this.reject('no_hello', 'the first frame must be a Hello', CloseCode.PolicyViolation);
      return this.onHello(hello);
    }
    switch (kind) {
      case 'metrics':
        if (batch) this.onBatch(batch);
        return;
      case 'commandStatus':
        if (status) this.host.commandStatus(this, status);
        return;
      default:
        return this.reject('unexpected_message', `unexpected ${kind ?? 'empty'} message`, CloseCode.PolicyViolation);
    }
  }

  private onHello(hello: IHello): void {
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      return this.reject('protocol_version', `protocol_version ${hello.protocolVersion ?? 0} is not supported (want ${PROTOCOL_VERSION})`, CloseCode.UnsupportedProtocol);
    }
    const result = this.host.hello(this, hello);
    if (!result.ok) return this.reject(result.reject, result.reason, result.code);
    this.node = hello.nodeName ?? '';
    this.streamId = hello.streamId ?? '';
    this.processedSeq = result.lastAckedSeq;
    this.committedSeq = result.lastAckedSeq;
    this.send({
      welcome: {
        protocolVersion: PROTOCOL_VERSION,
        aggregatorVersion: AGGREGATOR_VERSION,
        serverTimeMs: this.host.nowMs(),
        lastAckedSeq: result.lastAckedSeq,
        nodeName: this.node,
      },
    });
  }

  private onBatch(batch: IMetricsBatch): void {
    const problem = validateBatch(batch);
    if (problem) return this.reject('invalid_batch', problem, CloseCode.InvalidPayload);
    const seq = batch.seq as number;
    if (seq <= this.processedSeq) {
      // A replay of something already processed: discard, and re-ack what is committed.
      if (this.committedSeq > 0) this.send({ ack: { seq: this.committedSeq } });
      this.host.duplicate(this, seq);
      return;
    }
    this.processedSeq = seq;
    this.host.batch(this, batch, (err) => {
      if (err) {
        // Not durable: make the agent resend everything after the last commit.
        this.processedSeq = this.committedSeq;
        this.close(CloseCode.InternalError, 'store unavailable, resend later');
        return;
      }
      if (seq > this.committedSeq) {
        this.committedSeq = seq;
        this.send({ ack: { seq } });
      }
    });
  }
}

/** Version string the aggregator reports in Welcome. */
export const AGGREGATOR_VERSION = '0.1.0';
