import { describe, expect, it } from 'vitest';
import { SyncHttpClient } from './http';

function clientAnswering(status: number, body: string, contentType = 'application/json') {
  return new SyncHttpClient({
    baseUrl: 'http://backend.test',
    fetch: async () => new Response(body, { status, headers: { 'content-type': contentType } }),
  });
}

const errorBody = (code: string) => JSON.stringify({ error: { code, message: `${code} happened` } });

describe('HTTP failures, classified by whether trying again can help', () => {
  it.each([
    [401, errorBody('UNAUTHORIZED'), 'auth'],
    [403, errorBody('CLIENT_MISMATCH'), 'auth'],
    [403, errorBody('ENROLMENT_REFUSED'), 'client'],
    [401, '<html>Proxy login</html>', 'server'],
    [403, '<html>Forbidden by policy</html>', 'server'],
    [408, '', 'server'],
    [429, errorBody('TOO_MANY'), 'server'],
    [500, errorBody('INTERNAL'), 'server'],
    [426, errorBody('PROTOCOL_MISMATCH'), 'protocol'],
    [400, errorBody('BAD_REQUEST'), 'client'],
  ] as const)('HTTP %i %s → %s', async (status, body, kind) => {
    const result = await clientAnswering(status, body).health();
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.failure.kind).toBe(kind);
  });

  it('refuses an answer that is not valid JSON or does not match the schema, saying where', async () => {
    const cut = await clientAnswering(200, '{"protocol":1,"status":"o').health();
    expect(cut.ok ? null : cut.failure).toMatchObject({ kind: 'malformed' });
    const wrong = await clientAnswering(200, JSON.stringify({ protocol: 1, status: 'ok', serverTime: 'yesterday', dcs: 'up' })).health();
    expect(wrong.ok ? null : wrong.failure.detail).toContain('serverTime');
  });

  it('says so when nothing answers at all', async () => {
    const client = new SyncHttpClient({ baseUrl: 'http://backend.test', fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    const result = await client.health();
    expect(result.ok ? null : result.failure).toMatchObject({ kind: 'network' });
  });
});

describe('what every request tells the backend about the workstation', () => {
  it('sends the protocol version, the app version and how many actions wait in the outbox', async () => {
    const seen: Headers[] = [];
    const client = new SyncHttpClient({
      baseUrl: 'http://backend.test',
      appVersion: '1.4.0',
      fetch: async (_url, init) => {
        seen.push(new Headers(init?.headers));
        return new Response(JSON.stringify({ protocol: 1, status: 'ok', serverTime: '2026-11-26T10:00:00.000Z', dcs: 'up' }), {
          status: 200,
        });
      },
    });
    await client.health();
    client.setBacklog(7);
    await client.health();
    expect(seen.map((h) => [h.get('backstop-protocol'), h.get('x-backstop-version'), h.get('x-backstop-backlog')])).toEqual([
      ['1', '1.4.0', null],
      ['1', '1.4.0', '7'],
    ]);
  });
});
