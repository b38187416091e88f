// Raw HTTP/1.1 over a socket, for requests no well-behaved client would send (odd or repeated
// headers, arbitrary bytes) and for comparing responses byte for byte.
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server reset the connection before answering. */
  status: number;
  head: string;
  body: string;
  /** The response without its Date header (it changes every second) and its Request-Id (one per request). */
  comparable: string;
}

export function rawRequest(url: string, lines: Array<string | Buffer>, timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('raw request timed out')), timeoutMs);
    socket.on('connect', () => {
      for (const line of lines)
        socket.write(typeof line === 'string' ? `${line}\r\n` : Buffer.concat([line, Buffer.from('\r\n')]));
      socket.write('\r\n');
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer (431, 400) and reset the connection while an oversized request is
      // still being written; that is a refusal, reported as what was read so far (status 0 if nothing).
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({
        status,
        head,
        body,
        comparable: text
          .replace(/^date: .*\r\n/im, '')
          .replace(/^request-id: .*\r\n/im, '')
          .replace(/"request_id":"[^"]*"/g, '"request_id":""'),
      });
    });
  });
}

export const get = (path: string, host: string, headers: string[] = []) => [
  `GET ${path} HTTP/1.1`,
  `Host: ${host}`,
  'Connection: close',
  ...headers,
];
