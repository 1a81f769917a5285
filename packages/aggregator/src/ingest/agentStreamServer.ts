import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { AgentTokens } from '../http/agentTokens.js';
import { TokenBucket, type KeyedRateLimiter } from '../http/rateLimiter.js';
import { certificateNodeName } from '../http/tlsFiles.js';
import { bearerToken } from '../http/tokenFile.js';
import { AgentSession, CloseCode } from './agentSession.js';
import type { IngestService } from './ingestService.js';

/** Hardening of the agent endpoint (issue 8); everything optional, nothing enforced by default. */
export interface AgentStreamOptions {
  /** `--client-ca`: a verified client certificate is required; its CN (or DNS SAN) binds the node. */
  readonly requireClientCert?: boolean;
  /** Upgrade attempts per remote address; over it: 429 before any credential is looked at. */
  readonly connectLimiter?: KeyedRateLimiter;
  /** Sustained frames per second per connection (0 = unlimited) and the burst allowed on top. */
  readonly frameRate?: { readonly ratePerSec: number; readonly burst: number };
  /** Monotonic ms for the frame buckets. */
  readonly nowMs?: () => number;
}

export const AGENT_STREAM_PATH = '/v1/agents/stream';

/**
 * The WebSocket endpoint agents connect to. Authentication happens at the HTTP upgrade
 * (ws docs: prefer the `upgrade` event over verifyClient): no valid agent token, no socket.
 */
export class AgentStreamServer {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly ingest: IngestService,
    private readonly tokens: AgentTokens,
    maxPayloadBytes: number,
    private readonly opts: AgentStreamOptions = {},
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: maxPayloadBytes,
      // Protobuf batches are compact already; deflate costs 4.5x throughput and fragments memory.
      perMessageDeflate: false,
      clientTracking: true,
    });
  }

  /** Handles an HTTP upgrade for AGENT_STREAM_PATH. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws owns the socket nobody listens for errors on it: a reset would crash the process.
    const onError = (): void => {
      socket.destroy();
    };
    socket.on('error', onError);
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const limited = this.opts.connectLimiter?.take(req.socket.remoteAddress ?? '?') ?? 'ok';
    if (limited !== 'ok') {
      // Counted every time; logged and recorded as an event once per burst (a flood must not fill the event log).
      this.ingest.refusedUpgrade(remote, 'rate_limited', 'too many connection attempts from this address', limited === 'limited');
      rejectUpgrade(socket, 429, 'Too Many Requests', 'too many connection attempts; retry later');
      return;
    }
    const identity = this.authenticate(req);
    if ('refused' in identity) {
      this.ingest.refusedUpgrade(remote, 'unauthorized', identity.refused);
      rejectUpgrade(socket, 401, 'Unauthorized', identity.message);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onError);
      let session: AgentSession | undefined;
      const rate = this.opts.frameRate;
      if (rate && rate.ratePerSec > 0) {
        // Registered before the session's own listener: the frame over the limit is not processed.
        const now = this.opts.nowMs ?? (() => performance.now());
        const bucket = new TokenBucket(rate.ratePerSec, rate.burst, now());
        ws.on('message', () => {
          if (!bucket.take(now())) session?.reject('rate_limited', `more than ${rate.ratePerSec} frames/s sustained (burst ${rate.burst})`, CloseCode.PolicyViolation);
        });
      }
      session = new AgentSession(ws, remote, identity.node, this.ingest);
      this.ingest.attach(session);
    });
  }

  /**
   * Who is connecting: a verified client certificate (with --client-ca, required; it names the
   * node) and/or an agent token (`TOKEN NODE` names the node). Both present must agree.
   */
  private authenticate(req: IncomingMessage): { node: string | undefined } | { refused: string; message: string } {
    let certNode: string | undefined;
    if (this.opts.requireClientCert) {
      const tls = req.socket as TLSSocket;
      if (!tls.encrypted) return { refused: 'plain connection where a client certificate is required', message: 'client certificate required' };
      if (!tls.authorized) {
        const why = tls.getPeerCertificate()?.subject ? `client certificate not trusted (${String(tls.authorizationError)})` : 'no client certificate';
        return { refused: why, message: 'client certificate required' };
      }
      certNode = certificateNodeName(tls.getPeerCertificate());
      if (!certNode) return { refused: 'client certificate names no node (CN or DNS subjectAltName)', message: 'client certificate names no node' };
    }
    const token = bearerToken(req.headers.authorization);
    const byToken = token ? this.tokens.authenticate(token) : undefined;
    if (token && !byToken) return { refused: 'invalid agent token', message: 'agent token required' };
    if (certNode !== undefined) {
      if (byToken?.node && byToken.node !== certNode) {
        return { refused: `agent token is for node ${byToken.node}, client certificate for ${certNode}`, message: 'token and certificate disagree' };
      }
      return { node: certNode };
    }
    if (!byToken) return { refused: 'missing bearer token', message: 'agent token required' };
    return { node: byToken.node ?? undefined };
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
