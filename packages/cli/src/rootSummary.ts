/** What `hms-sys --help` says first (kept apart from root.ts so agentMain.ts need not load every command). */
export const ROOT_SUMMARY = 'HMS-SYS: per-pod CPU at 1-second resolution, HPA-exact autoscaling, and capacity-aware rolling patch windows.';
