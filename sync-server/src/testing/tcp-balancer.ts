import { connect, createServer, type Socket } from 'node:net';

/**
 * A minimal TCP load balancer for failover tests: each new connection goes to the first backend
 * port that accepts it, so when a relay dies its clients' reconnects land on the next one, as
 * behind any real load balancer.
 */
export async function startBalancer(backends: number[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    const tryBackend = (index: number) => {
      const port = backends[index];
      if (port === undefined || client.destroyed) return client.destroy();
      const upstream = connect(port, '127.0.0.1');
      track(upstream);
      let connected = false;
      upstream.on('error', () => {
        upstream.destroy();
        if (connected) client.destroy();
        else tryBackend(index + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('balancer has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
