import { type Server, type Socket, createServer, connect } from 'node:net';

/**
 * A TCP proxy in front of the emulator for one client, to break its network the way the real
 * world does: {@link cut} resets every open connection (a dropped Wi-Fi, a NAT timeout), and
 * {@link outage} also refuses new ones for a while (a train tunnel), so the client cannot come
 * back before the server's leave grace runs out. Both sides only see sockets closing; neither
 * the SDK nor the emulator is told anything.
 */
export class FaultProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private downUntil = 0;
  private server!: Server;
  port = 0;

  private constructor(
    private readonly host: string,
    private readonly upstreamPort: number,
  ) {}

  static async start(host: string, upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(host, upstreamPort);
    proxy.server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => proxy.server.listen(0, host, resolve));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  private accept(client: Socket): void {
    if (Date.now() < this.downUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.upstreamPort, this.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Resets every connection through the proxy, as a network failure would. */
  cut(): number {
    const n = this.pairs.size;
    for (const [client, upstream] of [...this.pairs]) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
    return n;
  }

  /**
   * Stops delivering what the server sends (it is read and thrown away) while the client's
   * frames still reach the server: the moments before a connection is known to be dead, when
   * replies are lost in flight. Ends with the next {@link cut}.
   */
  stall(): void {
    for (const [client, upstream] of this.pairs) {
      upstream.unpipe(client);
      upstream.on('data', () => undefined);
    }
  }

  /** Cuts, and refuses connections for `ms`. */
  outage(ms: number): void {
    this.downUntil = Math.max(this.downUntil, Date.now() + ms);
    this.cut();
  }

  /** Ends any outage now. */
  restore(): void {
    this.downUntil = 0;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
