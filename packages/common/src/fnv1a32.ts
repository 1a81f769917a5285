/**
 * 32-bit FNV-1a over the UTF-8 bytes of a string: what the ReplicaSet controller uses for
 * pod-template-hash, and a cheap deterministic spread (first expiries, periodic writes).
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
