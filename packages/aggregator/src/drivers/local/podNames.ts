import { fnv1a32, type Random } from '@hms-sys/common';

/** Names and identities of pods, the way Kubernetes makes them. Pure (randomness is injected). */

/** Kubernetes' "safe" alphabet for generated names (no vowels, no look-alikes). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function safeEncode(n: number): string {
  let out = '';
  let v = n >>> 0;
  do {
    out += SAFE_ALPHABET[v % SAFE_ALPHABET.length];
    v = Math.floor(v / SAFE_ALPHABET.length);
  } while (v > 0);
  return out;
}

/** Canonical JSON: object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The `pod-template-hash` label value of a pod template. */
export function templateHash(template: unknown): string {
  return safeEncode(fnv1a32(canonicalJson(template)));
}

/** `<deployment>-<hash>-<5 random>`, like ReplicaSet pods (base truncated so the name fits 63 chars). */
export function podName(deployment: string, hash: string, random: Random): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SAFE_ALPHABET[Math.floor(random.next() * SAFE_ALPHABET.length)] ?? 'x';
  const base = `${deployment}-${hash}`.slice(0, 63 - 6).replace(/[-.]+$/, '');
  return `${base}-${suffix}`;
}

/** A random (version 4) UUID drawn from the injected Random: pod uids and boot ids. */
export function randomUuid(random: Random): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random.next() * 256) & 0xff;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
