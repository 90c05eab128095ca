import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorAnswer, refusal } from '../errors/error-answer';
import { type Logger } from '../logger';
import { subscriptionProtocol, type SubscriptionProtocolOptions } from './subscription-protocol';

export interface WebSocketOptions extends SubscriptionProtocolOptions {
  /** The largest message a client may send (MAX_BODY_BYTES: a subscribe message is no bigger than a POST). */
  maxMessageBytes: number;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Refuses new connections and closes the open ones (1001, going away). */
  close(): Promise<void>;
}

/** A connection that has not answered a ping by the next one is gone (a NAT dropped it, say). */
const HEARTBEAT_MS = 12_000;
const CLOSE_WAIT_MS = 1_000;

/**
 * Subscriptions over the graphql-ws protocol (graphql-transport-ws) on the HTTP server's /graphql
 * path: `GET /graphql` with `Upgrade: websocket` is handed to a `ws` server with no port of its own;
 * an upgrade of any other path is answered 404.
 */
export function attachSubscriptions(server: Server, options: WebSocketOptions): SubscriptionServer {
  const { logger } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, handleProtocols: (protocols) => handleProtocols(protocols) });
  const protocol = makeServer(subscriptionProtocol(options));
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = request.url ?? '/';
    const path = url.split('?')[0];
    if (path !== '/graphql') return refuseUpgrade(socket, `No websocket at ${path}. Subscriptions are served on /graphql.`);
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  };
  server.on('upgrade', upgrade);

  sockets.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const started = Date.now();
    let alive = true;
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();
    socket.on('error', (error) => logger.warn({ error: error.message }, 'websocket error'));
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: Error) => {
              logger.error({ error: error.message }, 'subscription message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(heartbeat);
      logger.info({ path: '/graphql', transport: 'websocket', code, ms: Date.now() - started }, 'websocket closed');
      closed(code, reason.toString()).catch((error: Error) => logger.warn({ error: error.message }, 'ending subscriptions failed'));
    });
  });

  return {
    close: async () => {
      server.off('upgrade', upgrade);
      const open = [...sockets.clients];
      const gone = Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
      for (const socket of open) socket.close(1001, 'Going away');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/** The socket is all there is after an upgrade request: the answer is raw HTTP, the same JSON as every 404 of the gateway. */
function refuseUpgrade(socket: Duplex, message: string): void {
  const body = String(errorAnswer(refusal('NOT_FOUND', message)).body);
  socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
