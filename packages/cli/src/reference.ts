import { envVarName, type OptionSpec } from '@hms-sys/common';
import type { Command } from './command.js';
import { GLOBAL_OPTIONS } from './globalOptions.js';

function flagCell(o: OptionSpec): string {
  return `\`${o.short ? `-${o.short}, ` : ''}--${o.name}${o.type === 'boolean' ? '' : ` ${o.placeholder ?? o.type.toUpperCase()}`}\``;
}

function defaultCell(o: OptionSpec): string {
  if (o.default === undefined || o.default === '' || (Array.isArray(o.default) && o.default.length === 0)) return '';
  if (o.type === 'duration') {
    const ms = o.default as number;
    return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  }
  return Array.isArray(o.default) ? o.default.join(',') : String(o.default);
}

function table(opts: readonly OptionSpec[]): string[] {
  const rows = ['| flag | environment | default | meaning |', '|---|---|---|---|'];
  for (const o of opts) {
    const env = o.env === false ? '' : `\`${envVarName(o.name)}\``;
    const d = defaultCell(o);
    const choices = o.choices ? ` One of ${o.choices.map((c) => `\`${c}\``).join(', ')}.` : '';
    rows.push(`| ${flagCell(o)} | ${env} | ${d ? `\`${d}\`` : ''} | ${o.description.replace(/\|/g, '\\|')}.${choices} |`);
  }
  return rows;
}

/**
 * The configuration reference of README.md, generated from the same option specs the parser
 * uses, so the documentation cannot drift from the program (a test compares them).
 */
export function cliReference(root: Command): string {
  const out: string[] = [];
  const walk = (cmd: Command, path: string[]): void => {
    if (cmd.run && path.length > 0) {
      out.push(`#### \`hms-sys ${path.join(' ')}${cmd.usage ? ` ${cmd.usage}` : ''}\``, '', cmd.summary + '.', '');
      if (cmd.options?.length) out.push(...table(cmd.options), '');
    }
    for (const sub of cmd.subcommands ?? []) walk(sub, [...path, sub.name]);
  };
  walk(root, []);
  out.push('#### Global flags (every command)', '', ...table(GLOBAL_OPTIONS), '');
  return out.join('\n');
}
