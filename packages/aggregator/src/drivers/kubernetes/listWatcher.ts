import { backoffDelay, errorMessage, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import type { Watch } from '@kubernetes/client-node';

/** One page of a list call (typed lists name the token `_continue`, custom-object lists `continue`). */
export interface ListPage {
  readonly items: readonly unknown[];
  readonly metadata?: { readonly resourceVersion?: string; readonly _continue?: string; readonly continue?: string };
}

/** What to list and watch. */
export interface ListWatchSpec {
  /** For logs, e.g. "pods". */
  readonly kind: string;
  /** Collection path for the watch, e.g. `/api/v1/pods`. */
  readonly path: string;
  list(page: { readonly limit: number; readonly continueToken: string | undefined }): Promise<ListPage>;
}

/** Receives the objects; called synchronously, in API order. */
export interface ListWatchHandler {
  /** The complete set after a (re-)list: everything not in `items` is gone. */
  replace(items: readonly unknown[]): void;
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: unknown): void;
}

export interface ListWatchOptions {
  /** Items per list page (`limit`). */
  readonly pageSize: number;
  /**
   * Server-side watch timeout (`timeoutSeconds`), jittered up to 2x so that many watches do not
   * reconnect together. A watch still open this long after it should have ended is treated as dead.
   */
  readonly watchTimeoutSeconds: number;
  /** Retry back-off after failures: full jitter, doubling from base up to cap (ms). */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
}

export const DEFAULT_LIST_WATCH_OPTIONS: ListWatchOptions = {
  pageSize: 500, watchTimeoutSeconds: 300, backoffBaseMs: 500, backoffCapMs: 30_000,
};

/** A watch that ended sooner than this counts as failed for back-off purposes (no hot reconnect loop). */
const MIN_HEALTHY_WATCH_MS = 1000;
/** Longest stop() waits for an API call in flight. */
const STOP_WAIT_MS = 2000;
/** Grace after the server-side timeout before an open watch is declared dead. */
const WATCH_DEAD_GRACE_MS = 30_000;

type WatchOutcome =
  | { readonly kind: 'closed' } // the server ended the stream (timeout) or the connection dropped mid-stream
  | { readonly kind: 'expired' } // 410 Gone: our resourceVersion is too old
  | { readonly kind: 'transport'; readonly message: string } // could not connect / reset / timed out
  | { readonly kind: 'failed'; readonly message: string } // an HTTP error or an ERROR event other than 410
  | { readonly kind: 'stopped' };

/**
 * A reflector (client-go `cache.Reflector`): lists a collection (paged), then watches from the
 * list's resourceVersion, keeping `resourceVersion` current from every event and bookmark.
 * - a watch that ends or drops resumes from the last resourceVersion, so no update is missed;
 * - 410 Gone (HTTP status or ERROR event) means that version is compacted away: re-list at once;
 * - other HTTP errors and ERROR events: back off, then re-list; transport errors (refused, reset):
 *   back off, then resume the watch — as client-go does, so an API server restart does not make
 *   every watcher re-list;
 * - back-off is capped exponential with full jitter, reset by a successful list or a healthy watch.
 */
export class ListWatcher {
  private rv: string | undefined;
  private listed = false;
  private stopped = true;
  private sleeping: AbortController | undefined;
  private abortWatch: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly spec: ListWatchSpec,
    private readonly handler: ListWatchHandler,
    private readonly deps: { readonly watch: Pick<Watch, 'watch'>; readonly clock: Clock; readonly random: Random; readonly logger: Logger; readonly options: ListWatchOptions },
  ) {}

  /** True once the first full list has been delivered (it stays true across re-lists). */
  get synced(): boolean {
    return this.listed;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run().catch((err: unknown) => this.deps.logger.error({ err, kind: this.spec.kind }, 'list-watch loop failed'));
  }

  /** Stops; waits for the loop to end, but at most STOP_WAIT_MS (a list call in flight may hang until its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeping?.abort();
    this.abortWatch?.();
    const waited = new AbortController();
    await Promise.race([this.running, this.deps.clock.sleep(STOP_WAIT_MS, waited.signal)]);
    waited.abort();
  }

  private async run(): Promise<void> {
    const { logger } = this.deps;
    let attempt = 0;
    while (!this.stopped) {
      if (this.rv === undefined) {
        try {
          await this.relist();
          attempt = 0;
        } catch (err) {
          logger.warn({ kind: this.spec.kind, err: errorMessage(err), attempt }, 'list failed; retrying');
          await this.backoff(attempt++);
          continue;
        }
      }
      const started = this.deps.clock.monotonic();
      const outcome = await this.watchOnce(this.rv as string);
      if (this.stopped || outcome.kind === 'stopped') break;
      // A watch that ran for a while was a success, whatever ended it: start back-off afresh.
      if (this.deps.clock.monotonic() - started >= MIN_HEALTHY_WATCH_MS) attempt = 0;
      else if (outcome.kind === 'closed' || outcome.kind === 'expired') await this.backoff(attempt++);
      switch (outcome.kind) {
        case 'closed':
          break;
        case 'expired':
          logger.info({ kind: this.spec.kind, resourceVersion: this.rv }, 'watch expired (410 Gone); re-listing');
          this.rv = undefined;
          break;
        case 'transport':
          logger.warn({ kind: this.spec.kind, err: outcome.message, attempt }, 'watch connection failed; resuming');
          await this.backoff(attempt++);
          break;
        case 'failed':
          logger.warn({ kind: this.spec.kind, err: outcome.message, attempt }, 'watch failed; re-listing');
          this.rv = undefined;
          await this.backoff(attempt++);
          break;
      }
    }
  }

  private async relist(): Promise<void> {
    const items: unknown[] = [];
    let continueToken: string | undefined;
    let rv: string | undefined;
    do {
      const page = await this.spec.list({ limit: this.deps.options.pageSize, continueToken });
      if (this.stopped) return;
      items.push(...(page.items ?? []));
      // Every page of one list is a snapshot at the first page's version; the last page has it too.
      rv = page.metadata?.resourceVersion ?? rv;
      continueToken = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
    } while (continueToken);
    this.rv = rv ?? '';
    // Synced before the handler runs, so that listeners reacting to this list see synced() true.
    this.listed = true;
    this.handler.replace(items);
  }

  private watchOnce(rv: string): Promise<WatchOutcome> {
    const { watch, clock, random, options, logger } = this.deps;
    const timeoutSeconds = Math.floor(options.watchTimeoutSeconds * (1 + random.next()));
    return new Promise<WatchOutcome>((resolve) => {
      let settled = false;
      let controller: AbortController | undefined;
      let deadline: TimerHandle | undefined;
      const finish = (o: WatchOutcome): void => {
        if (settled) return;
        settled = true;
        deadline?.cancel();
        this.abortWatch = undefined;
        controller?.abort();
        resolve(o);
      };
      deadline = clock.setTimeout(() => finish({ kind: 'transport', message: `no end of watch after ${timeoutSeconds}s` }), timeoutSeconds * 1000 + WATCH_DEAD_GRACE_MS);
      this.abortWatch = () => finish({ kind: 'stopped' });
      const onEvent = (type: string, obj: unknown): void => {
        if (settled) return;
        if (type === 'ERROR') {
          const status = obj as { code?: unknown; message?: unknown } | undefined;
          if (status?.code === 410) finish({ kind: 'expired' });
          else finish({ kind: 'failed', message: `ERROR event: ${String(status?.message ?? JSON.stringify(obj))}` });
          return;
        }
        const version = (obj as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          try {
            this.handler.apply(type, obj);
          } catch (err) {
            logger.error({ err, kind: this.spec.kind, type }, 'cannot apply watch event; skipped');
          }
        }
        if (typeof version === 'string' && version !== '') this.rv = version;
      };
      const onDone = (err: unknown): void => {
        if (!err) return finish({ kind: 'closed' });
        const status = (err as { statusCode?: unknown }).statusCode;
        if (status === 410) return finish({ kind: 'expired' });
        if (typeof status === 'number') return finish({ kind: 'failed', message: `HTTP ${status} ${errorMessage(err)}` });
        finish({ kind: 'transport', message: errorMessage(err) });
      };
      watch.watch(this.spec.path, { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds }, onEvent, onDone).then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err: unknown) => finish({ kind: 'transport', message: errorMessage(err) }),
      );
    });
  }

  private async backoff(attempt: number): Promise<void> {
    if (this.stopped) return;
    const { options, random, clock } = this.deps;
    const ms = Math.max(options.backoffBaseMs / 2, backoffDelay(attempt, options.backoffBaseMs, options.backoffCapMs, random));
    this.sleeping = new AbortController();
    await clock.sleep(ms, this.sleeping.signal);
    this.sleeping = undefined;
  }
}
