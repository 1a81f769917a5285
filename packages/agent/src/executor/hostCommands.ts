import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecPatchKind } from './executorMachine.js';

/**
 * The commands the executor runs on the host, and their defaults for a Kubernetes node.
 *
 * The agent runs in a container (DaemonSet, `hostPID: true`, privileged) with the host's root
 * mounted at --host-root. Package managers and systemd are the HOST's, so every default command
 * enters PID 1's namespaces first: `nsenter -t 1 -m -u -i -n -p -- …` (mount, UTS, IPC, network,
 * PID), the same way kured runs its reboot command.
 *
 * Defaults per package manager, detected by which binary exists under --host-root:
 *   apt     kernel: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y dist-upgrade`
 *           os / packages: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade`
 *           reboot required: /var/run/reboot-required exists (update-notifier writes it)
 *   dnf     kernel: `dnf -y upgrade --refresh 'kernel*'`; os / packages: `dnf -y upgrade --refresh`
 *           reboot required: `needs-restarting -r` exits 1 (0 = not required; anything else = error)
 *   zypper  kernel: `zypper --non-interactive refresh && zypper --non-interactive update kernel-default`
 *           os / packages: `zypper --non-interactive refresh && zypper --non-interactive update`
 *           reboot required: /var/run/reboot-needed exists (zypper writes it) — or reboot-required
 *   reboot  `nsenter -t 1 -m -u -i -n -p -- systemctl reboot`
 * `--patch-command`, `--reboot-command`, `--reboot-required-file`, `--reboot-required-command`
 * replace them. Every patch command gets HMS_PATCH_KIND (kernel | os | packages),
 * HMS_COMMAND_ID and HMS_RUN_ID in its environment.
 */

export type PackageManager = 'apt' | 'dnf' | 'zypper';

/** Prefix entering PID 1's namespaces (needs hostPID and privileges). */
export const NSENTER = 'nsenter -t 1 -m -u -i -n -p --';
export const DEFAULT_REBOOT_COMMAND = `${NSENTER} systemctl reboot`;
/** Sentinel files, relative to the host root. */
export const REBOOT_REQUIRED_FILE = '/var/run/reboot-required';
export const ZYPPER_REBOOT_NEEDED_FILE = '/var/run/reboot-needed';

const BINARIES: readonly [PackageManager, string][] = [
  ['apt', 'apt-get'],
  ['dnf', 'dnf'],
  ['zypper', 'zypper'],
];

/** The host's package manager, from the binaries present under hostRoot (usr/bin, bin, usr/sbin, sbin). */
export function detectPackageManager(hostRoot: string, exists: (path: string) => boolean = existsSync): PackageManager | undefined {
  for (const [pm, bin] of BINARIES) {
    for (const dir of ['usr/bin', 'bin', 'usr/sbin', 'sbin']) {
      if (exists(join(hostRoot, dir, bin))) return pm;
    }
  }
  return undefined;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The default patch command for a package manager and kind (run through nsenter). */
export function defaultPatchCommand(pm: PackageManager, kind: ExecPatchKind): string {
  const kernel = kind === 'kernel';
  let script: string;
  switch (pm) {
    case 'apt':
      script = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y ${kernel ? 'dist-upgrade' : 'upgrade'}`;
      break;
    case 'dnf':
      script = kernel ? `dnf -y upgrade --refresh 'kernel*'` : 'dnf -y upgrade --refresh';
      break;
    case 'zypper':
      script = `zypper --non-interactive refresh && zypper --non-interactive update${kernel ? ' kernel-default' : ''}`;
      break;
  }
  return `${NSENTER} sh -c ${quote(script)}`;
}

/** How "is a reboot required?" is answered. */
export type RebootRequiredCheck =
  /** Required when any of these (absolute) files exists. */
  | { readonly kind: 'files'; readonly files: readonly string[] }
  /** Run the command: `requiredExitCode` = required, the other of 0/1 = not required, anything else = the check failed. */
  | { readonly kind: 'command'; readonly command: string; readonly requiredExitCode: 0 | 1 };

export interface HostCommandOptions {
  readonly hostRoot: string;
  readonly patchCommand?: string;
  readonly rebootCommand?: string;
  readonly rebootRequiredFile?: string;
  readonly rebootRequiredCommand?: string;
}

/** The resolved commands of one agent. */
export interface HostCommands {
  /** Detected package manager (undefined when --patch-command is given or nothing was found). */
  readonly packageManager: PackageManager | undefined;
  /** Patch command per kind; undefined = no package manager found and none configured. */
  patchCommand(kind: ExecPatchKind): string | undefined;
  readonly rebootCommand: string;
  readonly rebootRequired: RebootRequiredCheck;
  /** For logs and dry-run messages. */
  describe(): { patch: Partial<Record<ExecPatchKind, string>>; reboot: string; rebootRequired: string };
}

/** Resolves the commands from flags and the host (pure apart from `exists`). */
export function resolveHostCommands(opts: HostCommandOptions, exists: (path: string) => boolean = existsSync): HostCommands {
  const pm = opts.patchCommand ? undefined : detectPackageManager(opts.hostRoot, exists);
  const patchCommand = (kind: ExecPatchKind): string | undefined => opts.patchCommand ?? (pm ? defaultPatchCommand(pm, kind === 'unspecified' ? 'packages' : kind) : undefined);
  const under = (p: string): string => join(opts.hostRoot, p);
  let rebootRequired: RebootRequiredCheck;
  if (opts.rebootRequiredCommand) rebootRequired = { kind: 'command', command: opts.rebootRequiredCommand, requiredExitCode: 0 };
  else if (opts.rebootRequiredFile) rebootRequired = { kind: 'files', files: [under(opts.rebootRequiredFile)] };
  else if (pm === 'dnf') rebootRequired = { kind: 'command', command: `${NSENTER} needs-restarting -r`, requiredExitCode: 1 };
  else rebootRequired = { kind: 'files', files: [under(REBOOT_REQUIRED_FILE), under(ZYPPER_REBOOT_NEEDED_FILE)] };
  const rebootCommand = opts.rebootCommand ?? DEFAULT_REBOOT_COMMAND;
  return {
    packageManager: pm,
    patchCommand,
    rebootCommand,
    rebootRequired,
    describe() {
      const patch: Partial<Record<ExecPatchKind, string>> = {};
      for (const k of ['kernel', 'os', 'packages'] as const) {
        const c = patchCommand(k);
        if (c) patch[k] = c;
      }
      const rr = rebootRequired.kind === 'files'
        ? `any of ${rebootRequired.files.join(', ')} exists`
        : `\`${rebootRequired.command}\` exits ${rebootRequired.requiredExitCode}`;
      return { patch, reboot: rebootCommand, rebootRequired: rr };
    },
  };
}
