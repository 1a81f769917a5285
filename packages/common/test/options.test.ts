import { describe, expect, it } from 'vitest';
import { envVarName, formatOptionsHelp, isHmsError, parseDuration, parseOptions, type OptionSpec } from '@hms-sys/common';

const specs: OptionSpec[] = [
  { name: 'data-dir', type: 'string', default: './.hms-sys', description: 'where state lives' },
  { name: 'interval', type: 'duration', default: 1000, min: 100, description: 'collection interval' },
  { name: 'nodes', type: 'int', min: 1, description: 'virtual nodes' },
  { name: 'once', type: 'boolean', description: 'one collection' },
  { name: 'output', short: 'o', type: 'string', choices: ['table', 'json'], default: 'table', description: 'format' },
  { name: 'workload-parent', type: 'list', description: 'parents' },
];

describe('parseOptions', () => {
  it('takes flags, then HMS_SYS_* variables, then defaults', () => {
    const env = { HMS_SYS_DATA_DIR: '/env/dir', HMS_SYS_INTERVAL: '250ms', HMS_SYS_NODES: '2' };
    const o = parseOptions(specs, ['--nodes=3', '-o', 'json', '--once', 'extra'], env);
    expect(o.num('nodes')).toBe(3); // flag wins over env
    expect(o.str('data-dir')).toBe('/env/dir');
    expect(o.num('interval')).toBe(250);
    expect(o.str('output')).toBe('json');
    expect(o.bool('once')).toBe(true);
    expect(o.positionals).toEqual(['extra']);
    expect(Object.isFrozen(o.values)).toBe(true);
  });

  it('collects repeated list flags and comma-separated env lists', () => {
    expect(parseOptions(specs, ['--workload-parent', 'a', '--workload-parent=b'], {}).list('workload-parent')).toEqual(['a', 'b']);
    expect(parseOptions(specs, [], { HMS_SYS_WORKLOAD_PARENT: 'x, y' }).list('workload-parent')).toEqual(['x', 'y']);
  });

  it('reports every problem at once', () => {
    try {
      parseOptions(specs, ['--nodes', 'zero', '--interval', '5', '--bogus', '-o', 'yaml'], { HMS_SYS_ONCE: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(isHmsError(err, 'HMS_CONFIG_INVALID')).toBe(true);
      const problems = (err as { details: { problems: string[] } }).details.problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/--nodes must be an integer/);
      expect(problems.join('\n')).toMatch(/--interval: invalid duration "5"/);
      expect(problems.join('\n')).toMatch(/unknown flag --bogus/);
      expect(problems.join('\n')).toMatch(/-o must be one of table, json/);
      expect(problems.join('\n')).toMatch(/HMS_SYS_ONCE must be true or false/);
    }
  });

  it('enforces ranges on durations', () => {
    expect(() => parseOptions(specs, ['--interval', '10ms'], {})).toThrow(/at least 100/);
  });

  it('documents each flag with its variable', () => {
    const help = formatOptionsHelp(specs);
    expect(help).toContain('--data-dir VALUE');
    expect(help).toContain(envVarName('workload-parent'));
    expect(help).toContain('default 1s');
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['15s', 15_000], ['10m', 600_000], ['1h', 3_600_000], ['1h30m', 5_400_000], ['2.5s', 2500],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '10', 'fast', '1x', '1h-'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow());
});
