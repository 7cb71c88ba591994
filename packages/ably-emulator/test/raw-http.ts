import { type IncomingMessage, request } from 'node:http';
import type { Emulator } from '../src/index.js';

/** What {@link call} got back. */
export interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * One HTTP request to the emulator with exactly these headers: Node's fetch would not send
 * Origin or Host as given, and the access rules are about those.
 */
export function call(
  e: Emulator,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: e.port, method, path, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
