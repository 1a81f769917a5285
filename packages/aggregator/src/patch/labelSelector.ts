import { hmsError } from '@hms-sys/common';

/** One requirement of a node label selector: `key=value` (also `key==value`) or `key!=value`. */
export interface LabelRequirement {
  readonly key: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export type LabelSelector = readonly LabelRequirement[];

// Kubernetes label keys: optional DNS prefix + '/' + name; values may be empty.
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Parses `--selector k=v[,k2=v2]` (equality-based, as kubectl `-l`; `!=` is accepted too).
 * An empty string selects every node. Throws HMS_USAGE naming the bad requirement.
 */
export function parseSelector(text: string): LabelSelector {
  const s = text.trim();
  if (s === '') return [];
  return s.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*([^\s]*)\s*$/.exec(part);
    if (!m) throw hmsError('HMS_USAGE', `invalid selector requirement "${part}" in "${text}": use key=value[,key2=value2]`);
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (!KEY.test(key)) throw hmsError('HMS_USAGE', `invalid label key "${key}" in selector "${text}"`);
    if (!VALUE.test(value) || value.length > 63) throw hmsError('HMS_USAGE', `invalid label value "${value}" in selector "${text}"`);
    return { key, op: op === '!=' ? '!=' : '=', value };
  });
}

/** True when the labels satisfy every requirement (a missing label satisfies `!=`, as in Kubernetes). */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  return selector.every((r) => {
    const v = Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined;
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
