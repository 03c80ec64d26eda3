/**
 * A small HTTP proxy that misbehaves on purpose, between a workstation and the reference backend:
 * it drops connections (before or after the backend saw the request), delays, truncates bodies and
 * answers 500. Each request takes the next fault from a script, or a random one.
 */
import http from 'node:http';

export type Fault =
  | 'pass'
  /** Cut the connection before the backend sees the request. */
  | 'drop'
  /** Let the backend process the request, then cut the connection: the client never hears back. */
  | 'drop-after'
  /** Answer 500 without asking the backend. */
  | 'error-500'
  /** Forward, but send only half of the backend's answer. */
  | 'truncate'
  /** Forward after a pause. */
  | 'delay'
  /** Answer 403 with an HTML page, as a web proxy or firewall would. */
  | 'forbidden-html'
  /** Answer 426 as a backend speaking another protocol version would. */
  | 'protocol-mismatch';

export interface FaultProxy {
  url: string;
  /** Faults used so far, in order. */
  log: { path: string; fault: Fault }[];
  setFaults(next: (path: string) => Fault): void;
  close(): Promise<void>;
}

/**
 * A slow station link on every request that passes: `latencyMs` each way, and answers sent no faster
 * than `bitsPerSecond` (what a 20 Mbit/s, 30 ms station line does to a cache fill).
 */
export interface SlowLink {
  bitsPerSecond: number;
  latencyMs: number;
}

/** Writes `body` at the link's rate, in 10 ms slices, then ends the response. */
function sendPaced(res: http.ServerResponse, body: Buffer, link: SlowLink): void {
  const slice = Math.max(1, Math.floor(link.bitsPerSecond / 8 / 100));
  const started = performance.now();
  let sent = 0;
  const next = () => {
    if (res.destroyed) return;
    // Ahead of the link's schedule: wait for it; behind (a busy machine): catch up at once.
    const due = started + (sent / (link.bitsPerSecond / 8)) * 1000;
    const wait = due - performance.now();
    if (wait > 1) return void setTimeout(next, wait);
    const chunk = body.subarray(sent, sent + slice);
    sent += chunk.length;
    if (sent >= body.length) return void res.end(chunk);
    if (res.write(chunk)) next();
    else res.once('drain', next);
  };
  next();
}

export async function startFaultProxy(
  target: string,
  choose: (path: string) => Fault = () => 'pass',
  delayMs = 300,
  link: SlowLink | null = null,
): Promise<FaultProxy> {
  let pick = choose;
  const log: FaultProxy['log'] = [];
  const base = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const fault = pick(path);
      log.push({ path, fault });
      if (fault === 'drop') return req.socket.destroy();
      if (fault === 'forbidden-html') {
        res.writeHead(403, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>Forbidden</h1><p>Blocked by policy.</p></body></html>');
      }
      if (fault === 'protocol-mismatch') {
        // A backend of protocol 2: its health route answers anyone and names its version.
        if (path === '/v1/health') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ protocol: 2, status: 'ok', serverTime: '2026-11-26T10:00:00.000Z', dcs: 'up' }));
        }
        res.writeHead(426, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({ error: { code: 'PROTOCOL_MISMATCH', message: 'This backend speaks protocol 2; the workstation sent 1.' } }),
        );
      }
      if (fault === 'error-500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'injected failure' } }));
      }
      const forward = () => {
        const upstream = http.request(
          { host: base.hostname, port: base.port, path, method: req.method, headers: { ...req.headers, host: base.host } },
          (up) => {
            const body: Buffer[] = [];
            up.on('data', (c: Buffer) => body.push(c));
            up.on('end', () => {
              const full = Buffer.concat(body);
              if (fault === 'drop-after') return req.socket.destroy();
              const headers = { ...up.headers };
              delete headers['content-length'];
              delete headers['transfer-encoding'];
              const answer = fault === 'truncate' ? full.subarray(0, Math.floor(full.length / 2)) : full;
              if (!link) {
                res.writeHead(up.statusCode ?? 502, headers);
                return res.end(answer);
              }
              // The answer's first byte crosses the link after its latency, the rest at its rate.
              setTimeout(() => {
                res.writeHead(up.statusCode ?? 502, headers);
                sendPaced(res, answer, link);
              }, link.latencyMs);
            });
          },
        );
        upstream.on('error', () => req.socket.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      // On a slow link the request itself takes the latency (and its rate: requests are small) to arrive.
      const arrive = link ? link.latencyMs + (Buffer.concat(chunks).length * 8 * 1000) / link.bitsPerSecond : 0;
      if (fault === 'delay') setTimeout(forward, delayMs + arrive);
      else if (arrive > 0) setTimeout(forward, arrive);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    setFaults: (next) => (pick = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
