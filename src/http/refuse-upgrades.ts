import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const ANSWER = JSON.stringify({ error: 'DealDesk does not upgrade connections' });

/**
 * A request asking to switch protocols (`Connection: upgrade`, e.g. a WebSocket) or to open a tunnel (`CONNECT`)
 * leaves HTTP: Node hands its socket over and no timeout guards it any more. restify passes the upgrade on as an
 * event nobody handles, so such a socket used to stay open with no answer, for ever, and held up a graceful stop.
 * DealDesk upgrades nothing: each gets a 400 and its connection is closed, and `refused` is told (to record it).
 */
export function refuseUpgrades(server: Server, refused: () => void = () => {}): void {
  const refuse = (_req: unknown, socket: Socket) => {
    refused();
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(ANSWER)}\r\nconnection: close\r\n\r\n${ANSWER}`);
    socket.setTimeout(1000, () => socket.destroy());
  };
  server.removeAllListeners('upgrade');
  server.on('upgrade', refuse);
  server.on('connect', refuse);
}
