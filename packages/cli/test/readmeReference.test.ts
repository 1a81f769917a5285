import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../src/reference.js';
import { rootCommand } from '../src/root.js';

describe('README configuration reference', () => {
  it('lists every command, flag and HMS_SYS_* variable exactly as the program defines them', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- cli-reference:start');
    const end = readme.indexOf('<!-- cli-reference:end -->');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(readme.indexOf('-->', start) + 3, end).trim();
    // If this fails: run `npm run build && node scripts/cli-reference.js --write`.
    expect(section).toBe(cliReference(rootCommand()).trim());
  });
});
