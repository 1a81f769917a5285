import { systemClock } from '@hms-sys/common';
import { AGGREGATOR_OPTIONS, AGGREGATOR_TLS_OPTIONS, aggregatorConfigFrom, startAggregator } from '@hms-sys/aggregator';
import type { Command } from '../command.js';
import { buildDriver, DRIVER_OPTIONS, LOCAL_DRIVER_OPTIONS } from '../drivers.js';
import { loggerFrom, untilAborted } from '../logging.js';

export const aggregatorCommand: Command = {
  name: 'aggregator',
  summary: 'Run the central aggregator (what the Kubernetes Deployment runs)',
  usage: '--listen HOST:PORT --data-dir DIR [--driver kubernetes|local|none] [--agent-token-file F] [--api-token-file F] [--tls-cert F --tls-key F [--client-ca F]]',
  details: 'Agents connect to ws://HOST:PORT/v1/agents/stream (wss:// with --tls-cert); the API, /metrics and the HMS-OPS feed share the port.',
  options: [...AGGREGATOR_OPTIONS, ...AGGREGATOR_TLS_OPTIONS, ...DRIVER_OPTIONS, ...LOCAL_DRIVER_OPTIONS],
  async run(opts, ctx) {
    const logger = loggerFrom(opts, { component: 'aggregator' });
    const driverKind = opts.str('driver') as 'local' | 'kubernetes' | 'none';
    const config = aggregatorConfigFrom(opts, driverKind);
    const driver = await buildDriver(driverKind, opts, config, logger);
    const agg = await startAggregator(config, { clock: systemClock, logger, driver });
    ctx.stderr.write(`hms-sys aggregator listening on ${agg.url} (data dir ${config.dataDir}, driver ${driverKind})\n`);
    await untilAborted(ctx.signal);
    logger.info('shutting down');
    await agg.stop();
    return 0;
  },
};
