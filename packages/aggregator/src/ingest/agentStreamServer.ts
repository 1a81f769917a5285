import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AgentTokens } from '../http/agentTokens.js';
import { bearerToken } from '../http/tokenFile.js';
import { AgentSession } from './agentSession.js';
import type { IngestService } from './ingestService.js';

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
    const token = bearerToken(req.headers.authorization);
    const identity = token ? this.tokens.authenticate(token) : undefined;
    if (!identity) {
      this.ingest.refusedUpgrade(remote, 'unauthorized', token ? 'invalid agent token' : 'missing bearer token');
      rejectUpgrade(socket, 401, 'Unauthorized', 'agent token required');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onError);
      const session = new AgentSession(ws, remote, identity.node ?? undefined, this.ingest);
      this.ingest.attach(session);
    });
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
