import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy of the suite's own in front of the shared database server, so a suite can take the
 * database away (`cut`) and give it back (`restore`) without touching the server others use.
 * While cut, open connections are reset and new ones are closed as soon as they arrive: what a
 * client sees of a database that crashed or a network that broke.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cutOff = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on the first free port of `ports` and forwards each connection to `target`. */
  static async start(target: { host: string; port: number }, ports: number[]): Promise<TcpProxy> {
    for (const port of ports) {
      const server = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!listening) continue;
      const proxy = new TcpProxy(server, port);
      server.on('connection', (client) => proxy.forward(client, target));
      return proxy;
    }
    throw new Error(`No free port for the TCP proxy among ${ports[0]}-${ports[ports.length - 1]}`);
  }

  /** The database is gone: every connection through the proxy is reset, and new ones are refused. */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** The database is back. */
  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket, target: { host: string; port: number }): void {
    if (this.cutOff) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
