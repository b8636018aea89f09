// `npm run start:slack`: the Slack bot alone over HTTP. Arguments first, the bot's modules after, so
// `--help` and bad arguments answer at once.
import { parseCli, usageExit } from '../../providers/cli';
import { serviceLogger } from '../../providers/logging';

const USAGE = `usage: npm run start:slack -- [--port <port>]

The Slack bot alone, over HTTP on 127.0.0.1 (/slack/events), configured by the environment and .env
(SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN or SLACK_SECRET_ARN, ...; see .env.example).
  --port <port>  listen port (default PORT or 3000; 0 picks a free one)
  --help         this text`;

const { values } = parseCli({ usage: USAGE, options: { port: { type: 'string' } } });
if (values.port !== undefined && (!/^\d+$/.test(values.port) || Number(values.port) > 65_535))
  usageExit(USAGE, `--port must be an integer from 0 to 65535, got "${values.port}"`);

const { startSlackServer }: typeof import('./server') = require('./server');
startSlackServer({ port: values.port === undefined ? undefined : Number(values.port) })
  .then((s) => {
    serviceLogger('bdp-slack').info('Slack bot listening', { url: s.url });
    const shutdown = () => void s.stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  })
  .catch((e: unknown) => {
    console.error(`Slack bot failed to start: ${(e as Error).message}`);
    process.exit(1);
  });
