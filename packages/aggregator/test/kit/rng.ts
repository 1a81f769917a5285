import { seededRandom, type Random } from '@hms-sys/common';

/** Reproducible randomness for property-style tests: the product's seededRandom plus helpers. */
export class Rng {
  private readonly random: Random;
  constructor(seed: number) {
    this.random = seededRandom(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.random.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Shuffles xs in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
    }
    return xs;
  }
}
