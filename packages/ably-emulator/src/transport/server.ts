import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { OutboundFrame, WireFormat } from '../protocol/codec.js';
import { formatOf, handleConnect } from '../realtime/connect.js';
import type { Realtime, SocketSession } from '../realtime/realtime.js';
import type { Router } from '../rest/router.js';
import type { Transport } from '../state/connection.js';
import { AccessPolicy, refusal } from './access.js';
import { type Lane, Latency } from './latency.js';
import { wsFrame } from './ws-frame.js';

/** A socket whose unsent data exceeds this is too slow to keep up and is dropped. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** An empty WebSocket ping (FIN, opcode 0x9, no payload); `ws` answers and reports pongs. */
const PING = Buffer.from([0x89, 0x00]);

/** Frames queued for one socket in one turn are joined into one write up to this many bytes. */
const JOIN_LIMIT = 64 * 1024;

/**
 * Transports with frames queued this turn of the event loop. Frames are written once the turn's
 * I/O callbacks have run (`setImmediate`), one write per socket: a burst (a join storm, a busy
 * room, an ACK and the echo of what it acknowledges) costs one system call per socket instead of
 * one per frame. Latency cost: the rest of the current turn.
 */
let dirty: WsTransport[] = [];
let flushScheduled = false;

function flushAll(): void {
  const batch = dirty;
  dirty = [];
  flushScheduled = false;
  for (let i = 0; i < batch.length; i++) batch[i]!.flush();
}

/**
 * A `ws` socket as a realtime {@link Transport}. `ws` does the handshake, reads and control
 * frames (ping, pong, close); data frames bypass its per-send framing: each {@link OutboundFrame}
 * is framed once per format ({@link wsFrame}) and those bytes go straight to the TCP socket.
 */
class WsTransport implements Transport {
  /** Set by pongs and inbound frames; cleared at each heartbeat tick. */
  alive = true;
  /** Framed bytes waiting for this turn's flush, in send order. */
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;

  constructor(
    private readonly ws: WebSocket,
    /** The socket `ws` reads from and writes control frames to. */
    private readonly socket: Duplex,
    readonly format: WireFormat,
    /** Simulated latency: frames (and the close) pass through this ordered queue. */
    private readonly outbound: Lane,
  ) {}

  send(frame: OutboundFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const bytes = frame.framed(this.format, wsFrame);
    if (this.outbound.direct) this.enqueue(bytes);
    else this.outbound.run(() => this.enqueue(bytes));
  }

  private enqueue(bytes: Buffer): void {
    if (this.queue.length === 0) {
      dirty.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
  }

  /** Writes the queued frames: one write, or one `writev` when they are large. */
  flush(): void {
    const queue = this.queue;
    const count = queue.length;
    if (count === 0) return;
    const bytes = this.queuedBytes;
    this.queuedBytes = 0;
    // After our close frame (or the peer's) no data frame may follow; they are dropped.
    if (this.ws.readyState !== WebSocket.OPEN) {
      queue.length = 0;
      return;
    }
    const socket = this.socket;
    // Slow consumer: what the kernel has not taken yet is held in memory; past the limit, drop
    // the peer (checked once per socket and turn, not per frame).
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      queue.length = 0;
      this.ws.terminate();
      return;
    }
    if (count === 1) {
      socket.write(queue[0]!);
    } else if (bytes <= JOIN_LIMIT) {
      socket.write(Buffer.concat(queue, bytes));
    } else {
      socket.cork();
      for (let i = 0; i < count; i++) socket.write(queue[i]!);
      socket.uncork();
    }
    queue.length = 0;
  }

  close(code: number, reason: string): void {
    // Behind the frames sent before it, however delayed they are.
    this.outbound.run(() => this.closeNow(code, reason));
  }

  private closeNow(code: number, reason: string): void {
    // What was sent before the close (an ERROR, a DISCONNECTED) goes out before the close frame.
    this.flush();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason.slice(0, 120));
    }
  }

  /** Closes at once, dropping frames still held back by simulated latency (emulator stopping). */
  shutdown(code: number, reason: string): void {
    this.outbound.clear();
    this.closeNow(code, reason);
  }

  terminate(): void {
    this.outbound.clear();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.ws.terminate();
  }

  /** Heartbeat tick: drop a peer that showed no sign of life since the last one. */
  tick(): void {
    if (!this.alive) {
      this.terminate();
      return;
    }
    this.alive = false;
    // Queued like data, so the ping and the protocol HEARTBEAT that follows it share one write.
    if (this.ws.readyState === WebSocket.OPEN) this.enqueue(PING);
  }
}

/**
 * Pages and APIs the emulator serves for people rather than for Ably clients (the inspector):
 * past the access policy, never delayed by simulated latency.
 */
export interface LocalHandler {
  /** Answers the request and returns true when it is one of its own; false leaves it to REST. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/** Options of {@link EmulatorServer}. */
export interface ServerOptions {
  host: string;
  port: number;
  /** Serve on this server instead of creating one (it is not closed by `close()`). */
  server: Server | undefined;
  maxFrameSize: number;
  heartbeatIntervalMs: number;
  /** Origins besides loopback ones that may use the emulator (normalised), or `'*'`. */
  allowedOrigins: readonly string[];
  /** Simulated network latency, one way (ms); 0 for none. */
  latencyMs: number;
  /** Up to this much more or less latency per frame or request (ms). */
  latencyJitterMs: number;
  /** Seeds the jitter, so a run can be repeated. */
  seed: number;
  log: (line: string) => void;
}

/**
 * The listener: one HTTP server for REST and WebSocket upgrades at `/` (the SDK uses one host
 * and port for both), heartbeats that drop dead peers, and an idempotent `close()`.
 */
export class EmulatorServer {
  readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly transports = new Set<WsTransport>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly ownsServer: boolean;
  /** Origin and Host rules; completed with the bound address once listening. */
  private access: AccessPolicy;
  /**
   * Simulated network latency (`latency.enabled` false: none, nothing is queued); `set()` changes
   * it while running.
   */
  readonly latency: Latency;
  /** Inbound lanes of open sockets, dropped on close(). */
  private readonly inboundLanes = new Set<Lane>();
  private readonly onRequest = (req: IncomingMessage, res: ServerResponse) =>
    this.handleRequest(req, res);
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.handleUpgrade(req, socket, head);

  constructor(
    private readonly options: ServerOptions,
    private readonly realtime: Realtime,
    private readonly router: Router,
    private readonly local?: LocalHandler,
  ) {
    this.ownsServer = options.server === undefined;
    this.http = options.server ?? createServer();
    this.access = new AccessPolicy(options.allowedOrigins, this.boundHosts());
    this.latency = new Latency(options.latencyMs, options.latencyJitterMs, options.seed);
    this.http.on('request', this.onRequest);
    this.http.on('upgrade', this.onUpgrade);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameSize,
      // Never negotiated: data frames are pre-framed uncompressed (see wsFrame).
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.wss.on('error', (err) => options.log(`websocket server error: ${err.message}`));
  }

  /** Starts listening (or waits for the given server to listen) and starts heartbeats. */
  async listen(): Promise<AddressInfo> {
    if (this.ownsServer) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.http.once('error', onError);
        this.http.listen(this.options.port, this.options.host, () => {
          this.http.off('error', onError);
          resolve();
        });
      });
    } else if (!this.http.listening) {
      await new Promise<void>((resolve) => this.http.once('listening', () => resolve()));
    }
    this.access = new AccessPolicy(this.options.allowedOrigins, this.boundHosts());
    this.heartbeat = setInterval(() => {
      for (const t of this.transports) t.tick();
      this.realtime.sendHeartbeats();
    }, this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
    return this.http.address() as AddressInfo;
  }

  /**
   * The `host` option (when we listen ourselves) and the address the server is bound to: Host
   * names the emulator answers to besides loopback ones.
   */
  private boundHosts(): string[] {
    const hosts = this.ownsServer ? [this.options.host] : [];
    const address = this.http.address();
    if (address !== null && typeof address === 'object') hosts.push(address.address);
    return hosts;
  }

  /** Logs a refused request: the only trace of it a developer on a browser page will see. */
  private logRefusal(what: string, req: IncomingMessage, message: string): void {
    this.options.log(
      `refused ${what} ${req.method ?? '?'} ${(req.url ?? '').slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}: ${message}`,
    );
  }

  /** Handles an HTTP request (exposed for servers that route requests themselves). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const refused = this.access.check(req.headers);
    if (refused) {
      this.logRefusal('request', req, refused.message);
      const { status, headers, body } = refusal(refused);
      res.writeHead(status, headers);
      res.end(body);
      return;
    }
    if (this.local?.handle(req, res)) return;
    if (!this.latency.enabled) {
      this.router.handle(req, res);
      return;
    }
    // The request travels one way, the answer the other: each waits a delay of its own.
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      this.latency.after(() => end(...args));
      return res;
    }) as ServerResponse['end'];
    this.latency.after(() => this.router.handle(req, res));
  }

  /** Handles an upgrade request (exposed for servers that route upgrades themselves). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // Refused before the handshake: a page of another origin never gets an open socket.
    const refused = this.access.check(req.headers);
    if (refused) {
      this.logRefusal('WebSocket', req, refused.message);
      const { status, headers, body } = refusal(refused);
      const fields = Object.entries({ ...headers, connection: 'close' })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${fields}\r\n${body}`);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      socket.destroy();
      return;
    }
    if (url.pathname !== '/' || this.closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, url.searchParams));
  }

  private accept(ws: WebSocket, socket: Duplex, query: URLSearchParams): void {
    // Every socket has its lanes, so latency set while it is open applies to it too; without
    // latency they call straight through.
    const transport = new WsTransport(ws, socket, formatOf(query), this.latency.lane());
    // With latency, what the client sends (the connect request, frames, the socket's end)
    // reaches the protocol engine one delay later, in order.
    const inbound = this.latency.lane();
    this.inboundLanes.add(inbound);
    const arrive = (fn: () => void) => inbound.run(fn);
    const session: SocketSession = { connection: undefined };
    this.transports.add(transport);
    ws.on('error', () => {});
    ws.on('pong', () => (transport.alive = true));
    ws.on('message', (data, isBinary) => {
      transport.alive = true;
      const raw = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      arrive(() =>
        this.realtime.receive(session, transport, isBinary ? raw : raw.toString('utf8')),
      );
    });
    ws.on('close', () => {
      this.transports.delete(transport);
      arrive(() => {
        this.inboundLanes.delete(inbound);
        this.realtime.transportClosed(session, transport);
      });
    });
    arrive(() => handleConnect(this.realtime, session, transport, query));
  }

  /** Stops heartbeats, closes every socket and (if it owns it) the HTTP server. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat);
      for (const lane of this.inboundLanes) lane.clear();
      this.inboundLanes.clear();
      this.http.off('request', this.onRequest);
      this.http.off('upgrade', this.onUpgrade);
      for (const t of this.transports) t.shutdown(1001, 'emulator stopping');
      this.wss.close();
      if (this.ownsServer) {
        await new Promise<void>((resolve) => {
          this.http.close(() => resolve());
          this.http.closeAllConnections();
        });
      }
    })();
    return this.closing;
  }
}
