import { hmsError, type ParsedOptions } from '@hms-sys/common';
import { ApiClient, resolveToken } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS, outputOption } from '../globalOptions.js';

type Ev = Record<string, unknown> & { seq: number; time: string; type: string };

/** One human line per event: SEQ TIME TYPE key=value… */
export function formatEventLine(e: Ev): string {
  const { seq, time, type, ...rest } = e;
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(seq).padStart(6)}  ${time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  ${type.padEnd(18)} ${fields}`;
}

export const eventsCommand: Command = {
  name: 'events',
  summary: 'The event log / HMS-OPS feed in a terminal',
  usage: '[--follow] [--since SEQ] [-o table|json]',
  details: 'With -o json each event is one JSON object per line ({seq, time, type, ...}). --follow keeps streaming and resumes after a dropped connection.',
  options: [
    { name: 'follow', short: 'f', type: 'boolean', description: 'keep streaming new events until interrupted' },
    { name: 'since', type: 'int', default: 0, min: 0, description: 'only events after this seq' },
    { name: 'types', type: 'list', placeholder: 'TYPE,…', description: 'only these event types (e.g. scale.decision,patch.step)' },
    outputOption(['table', 'json'], 'table'),
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runEvents(opts, ctx);
  },
};

async function runEvents(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const json = opts.str('output') === 'json';
  const types = new Set(opts.list('types'));
  const print = (e: Ev): void => {
    if (types.size && !types.has(e.type)) return;
    ctx.stdout.write((json ? JSON.stringify(e) : formatEventLine(e)) + '\n');
  };
  let since = opts.num('since');
  if (!opts.bool('follow')) {
    const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
    for (;;) {
      const page = await client.get<Ev[]>(`/v1/events?since=${since}&limit=1000`);
      page.forEach(print);
      if (page.length < 1000) break;
      since = page[page.length - 1]!.seq;
    }
    return 0;
  }
  const server = opts.str('server').replace(/\/+$/, '');
  const token = resolveToken(opts, ctx.env, ctx.cwd);
  let attempt = 0;
  while (!ctx.signal.aborted) {
    try {
      since = await streamOnce(server, token, since, print, ctx.signal);
      attempt = 0;
    } catch (err) {
      if (ctx.signal.aborted) break;
      if (err instanceof Error && /HTTP (401|403)/.test(err.message)) throw hmsError('HMS_UNAUTHORIZED', 'the aggregator refused the token for the feed');
      attempt++;
      if (attempt === 1) ctx.stderr.write(`hms-sys: feed interrupted (${err instanceof Error ? err.message : String(err)}); resuming from seq ${since}\n`);
    }
    if (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
  }
  return 0;
}

/** Reads the SSE feed until it ends; returns the last seq seen. */
async function streamOnce(server: string, token: string | undefined, since: number, onEvent: (e: Ev) => void, signal: AbortSignal): Promise<number> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${server}/v1/feed?since=${since}`, { headers, signal });
  } catch (err) {
    throw new Error(`cannot reach ${server}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let last = since;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (!data) continue;
      if (block.startsWith('event: error')) throw new Error((JSON.parse(data) as { reason: string }).reason);
      const ev = JSON.parse(data) as Ev;
      last = ev.seq;
      onEvent(ev);
    }
  }
}
