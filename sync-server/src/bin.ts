import { readConfig } from './config.ts';
import { startServer } from './server.ts';
import { SERVER_INFO } from './version.ts';

// Starts the relay: reads config, opens store and fan-out, listens. Nothing else happens here.
const config = readConfig();
const running = await startServer(config);
const storage = config.store.kind === 'sqlite' ? `sqlite ${config.store.file}` : `postgres (tables ${config.store.tablePrefix}*)`;
console.log(
  `${SERVER_INFO.name} ${SERVER_INFO.version} listening on ${running.url} (store: ${storage}; fan-out: ${config.redis ? 'redis' : 'none'})`,
);
let stopping = false;
const stop = () => {
  // A second signal means "now": skip the flush (clients resend what the store lacks).
  if (stopping) process.exit(1);
  stopping = true;
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
