/**
 * Event types of the HMS-OPS feed (SPEC §8). Consumers switch on these strings: never rename one.
 */
export const EventType = {
  NodeJoined: 'node.joined',
  NodeLeft: 'node.left',
  NodeRebooted: 'node.rebooted',
  AgentRejected: 'agent.rejected',
  ScaleDecision: 'scale.decision',
  AutoscalerChanged: 'autoscaler.changed',
  PatchRun: 'patch.run',
  PatchStep: 'patch.step',
  DrainBlocked: 'drain.blocked',
  CommandSent: 'command.sent',
  CommandFinished: 'command.finished',
  CommandRefused: 'command.refused',
  PodChanged: 'pod.changed',
  DeploymentChanged: 'deployment.changed',
  ApiWrite: 'api.write',
  Summary: 'summary',
} as const;

export type EventTypeName = (typeof EventType)[keyof typeof EventType];

/** One feed entry as stored and published: `{seq, time, type, ...fields}`. */
export interface FeedEvent {
  readonly seq: number;
  /** ISO-8601 UTC. */
  readonly time: string;
  readonly type: EventTypeName | string;
  readonly [field: string]: unknown;
}
