/**
 * Parses os-release(5): `KEY=value` lines, values optionally in single or double quotes with
 * backslash escapes in double quotes; comments and blank lines ignored.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    } else if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

/** The OS image line the kubelet reports: PRETTY_NAME, else "NAME VERSION", else "Linux" (the os-release default). */
export function osImageOf(fields: Record<string, string>): string {
  if (fields['PRETTY_NAME']) return fields['PRETTY_NAME'];
  const nameVersion = [fields['NAME'], fields['VERSION']].filter(Boolean).join(' ');
  return nameVersion || 'Linux';
}
