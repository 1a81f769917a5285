/**
 * The seed's election night, compressed: a quiet evening, then at "8:03 pm" traffic jumps 60x
 * (2 000 -> 120 000 req/s in the story; 20 -> 1 200 requests/s of 1 ms CPU each here, which is
 * 0.02 -> 1.2 cores of demand), holds, and eases off. Pure: time in, offered rate out.
 */
export interface Phase {
  readonly label: string;
  /** Phase length, s. */
  readonly seconds: number;
  /** Rate at the start and end of the phase (linear in between), requests/s. */
  readonly fromRps: number;
  readonly toRps: number;
}

export const ELECTION_NIGHT: readonly Phase[] = [
  { label: '7:55 pm quiet evening', seconds: 20, fromRps: 20, toRps: 20 },
  { label: '8:00 pm polls close', seconds: 15, fromRps: 20, toRps: 60 },
  { label: '8:03 pm results spike', seconds: 75, fromRps: 1200, toRps: 1200 },
  { label: '8:30 pm easing off', seconds: 30, fromRps: 1200, toRps: 400 },
];

/** Total length of a schedule, s. */
export function scheduleSeconds(phases: readonly Phase[]): number {
  return phases.reduce((s, p) => s + p.seconds, 0);
}

/** The offered rate and phase at t seconds into the schedule (undefined after its end). */
export function rateAt(phases: readonly Phase[], t: number): { rps: number; phase: Phase; index: number } | undefined {
  let start = 0;
  for (const [index, phase] of phases.entries()) {
    if (t < start + phase.seconds) {
      const f = phase.seconds > 0 ? (t - start) / phase.seconds : 0;
      return { rps: phase.fromRps + (phase.toRps - phase.fromRps) * f, phase, index };
    }
    start += phase.seconds;
  }
  return undefined;
}

/** Start of the phase whose label contains `needle`, s (the spike: '8:03'). */
export function phaseStart(phases: readonly Phase[], needle: string): number | undefined {
  let start = 0;
  for (const p of phases) {
    if (p.label.includes(needle)) return start;
    start += p.seconds;
  }
  return undefined;
}
