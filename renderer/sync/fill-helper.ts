/**
 * The fill helper's side of its messages (the thread itself is fill-worker.ts): it opens its own
 * connection to the local database with the sync worker's keys, fetches and checks the pages it is
 * given, makes their records, and stores each when the sync worker says it is its turn.
 */
import { aesGcmSealer } from '../db/at-rest';
import { installAuditKey } from '../db/audit';
import { installSealer, openDatabase, type BackstopDB } from '../db/schema';
import { isOutOfTurn } from './apply-pull';
import { isPageRefused, LocalFillWriter } from './fill-writer';
import { FillCommand, type FillReply } from './fill-messages';
import { SyncHttpClient } from './http';

/** What the helper thread does with each message it receives; `post` answers the sync worker, `open` opens its connection. */
export function fillHelperHandler(
  post: (reply: FillReply) => void,
  open: (name: string) => BackstopDB = (name) => openDatabase(name, { durability: 'relaxed' }),
): (data: unknown) => void {
  let writer: LocalFillWriter | null = null;
  let fetching: AbortController | null = null;
  const failed = (id: number, error: unknown) =>
    post({
      type: 'failed',
      id,
      message: error instanceof Error ? error.message : String(error),
      ...(isOutOfTurn(error) ? { outOfTurn: true as const } : {}),
      ...(isPageRefused(error) ? { refused: error.failure } : {}),
    });

  return (data) => {
    const parsed = FillCommand.safeParse(data);
    if (!parsed.success) {
      post({ type: 'failed', id: null, message: `fill helper: unknown command (${parsed.error.issues[0]?.message ?? 'invalid'})` });
      return;
    }
    const command = parsed.data;
    switch (command.type) {
      case 'init': {
        installSealer(command.keys ? aesGcmSealer(command.keys.data) : null);
        installAuditKey(command.keys?.audit ?? null);
        const transport = new SyncHttpClient({ baseUrl: command.baseUrl, appVersion: command.appVersion });
        transport.setToken(command.token);
        // Another thread writes in turns with this one: never wait behind its transaction to ask what is held.
        writer = new LocalFillWriter(open(command.dbName), transport, { checkHeld: false });
        return;
      }
      case 'fetch':
        if (!writer) return failed(command.id, new Error('fill helper: not started'));
        fetching = new AbortController();
        writer.fetch(command.body, command.receivedAt, fetching.signal).then(
          (result) => post({ type: 'fetched', id: command.id, result }),
          (error: unknown) => failed(command.id, error),
        );
        return;
      case 'store':
        if (!writer) return failed(command.id, new Error('fill helper: not started'));
        writer.store({ after: command.after, onStarted: () => post({ type: 'started', id: command.id }) }).then(
          (page) => post({ type: 'stored', id: command.id, page }),
          (error: unknown) => failed(command.id, error),
        );
        return;
      case 'abort':
        fetching?.abort();
        return;
    }
  };
}
