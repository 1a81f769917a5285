import { existsSync } from 'node:fs';
import type { CommandRunner } from './commandRunner.js';
import type { RebootRequiredCheck } from './hostCommands.js';

/** Timeout of a reboot-required check command, ms. */
export const REBOOT_CHECK_TIMEOUT_MS = 60_000;

export type RebootRequiredAnswer =
  | { readonly ok: true; readonly required: boolean; readonly detail: string }
  | { readonly ok: false; readonly message: string };

/**
 * Answers "is a reboot required?". A check command must exit with one of its two meaningful
 * codes: anything else (127 = not found, 126 = not executable, a timeout) is a FAILED check, never
 * silently "required" or "not required" — the reboot loop of kured #976 came from `! cmd` turning
 * a missing binary (127) into "required".
 */
export async function checkRebootRequired(check: RebootRequiredCheck, runner: CommandRunner, exists: (path: string) => boolean = existsSync): Promise<RebootRequiredAnswer> {
  if (check.kind === 'files') {
    const found = check.files.filter((f) => exists(f));
    return { ok: true, required: found.length > 0, detail: found.length > 0 ? `${found.join(', ')} present` : `none of ${check.files.join(', ')} present` };
  }
  const r = await runner.run(check.command, { timeoutMs: REBOOT_CHECK_TIMEOUT_MS });
  const notRequired = check.requiredExitCode === 0 ? 1 : 0;
  if (r.exitCode === check.requiredExitCode) return { ok: true, required: true, detail: `\`${check.command}\` exited ${r.exitCode}` };
  if (r.exitCode === notRequired) return { ok: true, required: false, detail: `\`${check.command}\` exited ${r.exitCode}` };
  const tail = r.outputTail.trim().split('\n').slice(-3).join(' | ');
  return { ok: false, message: `reboot-required check \`${check.command}\` exited ${r.exitCode}${r.timedOut ? ' (timed out)' : ''} (expected ${check.requiredExitCode} = required or ${notRequired} = not required)${tail ? `: ${tail}` : ''}` };
}
