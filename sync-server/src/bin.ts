import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { SERVER_INFO } from './version.ts';

// Starts the relay: reads config, prepares the data folder, listens. Nothing else happens here.
const config = readConfig();
mkdirSync(config.dataDir, { recursive: true });
const server = serve({ fetch: createApp().fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`${SERVER_INFO.name} ${SERVER_INFO.version} listening on http://${info.address}:${info.port} (data: ${config.dataDir})`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
