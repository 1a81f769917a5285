import { formatOptionsHelp } from '@hms-sys/common';
import type { Command } from './command.js';
import { GLOBAL_OPTIONS } from './globalOptions.js';

/** Help text for a command, given its path from the root (e.g. ['patch', 'schedule']). */
export function helpText(cmd: Command, path: readonly string[]): string {
  const full = ['hms-sys', ...path].join(' ');
  const lines: string[] = [];
  lines.push(cmd.summary, '');
  if (cmd.subcommands?.length) {
    lines.push(`Usage: ${full} <command> [flags]${cmd.run ? `\n       ${full} ${cmd.usage ?? ''}`.trimEnd() : ''}`, '', 'Commands:');
    const width = Math.max(...cmd.subcommands.map((s) => s.name.length)) + 2;
    for (const sub of cmd.subcommands) lines.push(`  ${sub.name.padEnd(width)}${sub.summary}`);
  } else {
    lines.push(`Usage: ${full}${cmd.usage ? ' ' + cmd.usage : ''} [flags]`);
  }
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  if (cmd.options?.length) lines.push('', 'Flags:', formatOptionsHelp(cmd.options));
  lines.push('', 'Global flags:', formatOptionsHelp(GLOBAL_OPTIONS));
  if (cmd.subcommands?.length) lines.push('', `Run '${full} <command> --help' for a command's flags.`);
  return lines.join('\n') + '\n';
}
