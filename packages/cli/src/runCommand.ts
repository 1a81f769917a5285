import { errorMessage, HmsError, hmsError, parseOptions } from '@hms-sys/common';
import type { Command, CommandContext } from './command.js';
import { GLOBAL_OPTIONS } from './globalOptions.js';
import { helpText } from './help.js';

/**
 * Runs `hms-sys <argv>` against the command tree `root` and resolves to the exit code: 0 ok,
 * 1 the operation failed, 2 bad usage. Errors are one line on stderr; stack traces only with --debug.
 * (main.ts passes the whole tree; agentMain.ts only the agent, so a node agent does not load the
 * aggregator's module graph.)
 */
export async function runCommand(root: Command, argv: readonly string[], overrides: Partial<CommandContext> = {}): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  if (!overrides.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const ctx: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    ...overrides,
  };
  const debug = argv.includes('--debug') || ['1', 'true'].includes(ctx.env.HMS_SYS_DEBUG ?? '');
  try {
    return await dispatch(root, [], argv, ctx);
  } catch (err) {
    reportError(err, ctx, debug);
    return err instanceof HmsError ? err.exitCode : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function dispatch(cmd: Command, path: string[], argv: readonly string[], ctx: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  const sub = first === undefined ? undefined : cmd.subcommands?.find((s) => s.name === first);
  if (sub) return dispatch(sub, [...path, sub.name], rest, ctx);
  const wantsHelp = argv.includes('--help') || argv.includes('-h') || (first === 'help' && path.length === 0);
  if (wantsHelp || (!cmd.run && first === undefined)) {
    ctx.stdout.write(helpText(cmd, path));
    return wantsHelp ? 0 : 2;
  }
  if (!cmd.run) {
    throw hmsError('HMS_USAGE', `unknown command "${[...path, first].join(' ')}"`, { hint: `see 'hms-sys ${[...path, ''].join(' ')}--help'`.replace('  ', ' ') });
  }
  const opts = parseOptions([...(cmd.options ?? []), ...GLOBAL_OPTIONS], argv, ctx.env);
  const code = await cmd.run(opts, ctx);
  return code ?? 0;
}

/**
 * One line, whatever the message quotes: control characters (newlines from a quoted input,
 * terminal escape sequences from a hostile file or server) become spaces.
 */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

function reportError(err: unknown, ctx: CommandContext, debug: boolean): void {
  if (err instanceof HmsError) {
    const hint = err.hint ? ` (${err.hint})` : '';
    ctx.stderr.write(`hms-sys: ${oneLine(err.message)}${hint}\n`);
  } else {
    ctx.stderr.write(`hms-sys: internal error: ${oneLine(errorMessage(err))} (run with --debug for details)\n`);
  }
  if (debug && err instanceof Error) {
    ctx.stderr.write(`${err.stack ?? ''}\n`);
    if (err.cause) ctx.stderr.write(`caused by: ${err.cause instanceof Error ? err.cause.stack : String(err.cause)}\n`);
  }
}
