import { join } from 'node:path';
import type { AgentLaunchSpec } from './agentLauncher.js';

/** A path as one shell word. */
function q(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The sentinel a simulated kernel patch writes, relative to the node's host root (what the agent checks by default). */
export const SIMULATED_REBOOT_REQUIRED = 'var/run/reboot-required';

/**
 * Executor flags for a virtual node of `hms-sys up --nodes N --simulate-reboots`: the agent may
 * patch and reboot, but both are simulated through the node supervisor's request files, never
 * this machine's packages or boot:
 * - patch (kind kernel): `touch <kernel-patch-requested>` (stages a bumped kernel release) and
 *   write `<host-root>/var/run/reboot-required`, as a kernel package's post-install does; other
 *   kinds change nothing and require no reboot;
 * - reboot: `touch <reboot-requested>`: the supervisor stops the node's pods and agent, writes a
 *   new boot id (the sentinel goes with /var/run, a tmpfs), and starts the agent again.
 * Without --simulate-reboots virtual nodes get no allow flags: commands are answered dry-run.
 */
export function simulatedPatchArgs(spec: AgentLaunchSpec): string[] {
  const sentinel = join(spec.hostRoot, SIMULATED_REBOOT_REQUIRED);
  const patch = [
    'if [ "$HMS_PATCH_KIND" = kernel ]; then',
    `touch ${q(spec.kernelPatchRequestFile)} && mkdir -p ${q(join(spec.hostRoot, 'var/run'))} && touch ${q(sentinel)} || exit 1;`,
    'fi;',
    `echo "simulated $HMS_PATCH_KIND patch of ${spec.node} (nothing on this machine changed)"`,
  ].join(' ');
  return [
    '--allow-patch',
    '--allow-reboot',
    '--patch-command', patch,
    '--reboot-command', `touch ${q(spec.rebootRequestFile)}`,
  ];
}
