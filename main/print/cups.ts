/**
 * CUPS through its command-line tools (`lpstat`, `lp`), run without a shell. Page sizes go to the
 * queue as `-o media=…`, which drivers honour more dependably than Chromium's print path on Linux.
 * A queue is checked before a job is handed over: a job sent to a paused CUPS queue would sit there
 * invisible to the agent, while in Backstop's own queue it can be seen, retried or sent elsewhere.
 */
import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '../../shared/result';
import type { PrintErrorCode } from '../../shared/documents/print-job';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** Runs a CUPS tool with English messages (they are parsed) and a timeout; never throws. */
export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { env: { ...process.env, LANG: 'C', LC_ALL: 'C' }, timeout: 15_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          // ENOENT and friends: the tool itself is missing.
          resolve({ code: 127, stdout: '', stderr: `${command}: ${error.code}` });
          return;
        }
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });

export type QueueState = 'ready' | 'disabled' | 'rejecting' | 'missing' | 'unavailable';

export interface CupsQueue {
  name: string;
  enabled: boolean;
  accepting: boolean;
  isDefault: boolean;
}

const MISSING = /invalid destination|does not exist|unknown destination|not found/i;
const NOT_ACCEPTING = /not accepting/i;

function unavailableReason(r: CommandResult): string {
  if (r.code === 127) return 'CUPS is not installed on this computer';
  return 'the CUPS print system is not running';
}

/** All CUPS queues with their state; empty when CUPS is not there. */
export async function listCupsQueues(run: CommandRunner): Promise<CupsQueue[]> {
  const [printers, accepting, dflt] = await Promise.all([run('lpstat', ['-p']), run('lpstat', ['-a']), run('lpstat', ['-d'])]);
  const queues = new Map<string, CupsQueue>();
  for (const line of printers.stdout.split('\n')) {
    const m = /^printer (\S+) (?:is|now|disabled)/.exec(line);
    if (m) queues.set(m[1]!, { name: m[1]!, enabled: !/^printer \S+ disabled/.test(line), accepting: true, isDefault: false });
  }
  for (const line of accepting.stdout.split('\n')) {
    const m = /^(\S+) (not )?accepting requests/.exec(line);
    const q = m ? queues.get(m[1]!) : undefined;
    if (q) q.accepting = m![2] === undefined;
  }
  const d = /^system default destination: (\S+)/m.exec(dflt.stdout);
  const def = d ? queues.get(d[1]!) : undefined;
  if (def) def.isDefault = true;
  return [...queues.values()];
}

export async function cupsQueueState(run: CommandRunner, queue: string): Promise<{ state: QueueState; detail: string }> {
  const r = await run('lpstat', ['-p', queue, '-a', queue]);
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.code === 127 || /scheduler is not running|connection refused|unable to connect/i.test(out)) {
    return { state: 'unavailable', detail: unavailableReason(r) };
  }
  if (MISSING.test(r.stderr) || (r.code !== 0 && r.stdout.trim() === ''))
    return { state: 'missing', detail: `there is no printer queue "${queue}"` };
  if (new RegExp(`^printer ${escapeRegExp(queue)} disabled`, 'm').test(r.stdout)) {
    const reason = /^\s+(\S.*)$/m.exec(r.stdout)?.[1];
    return { state: 'disabled', detail: `printer ${queue} is paused${reason ? ` (${reason.trim()})` : ''}` };
  }
  if (new RegExp(`^${escapeRegExp(queue)} not accepting`, 'm').test(r.stdout)) {
    return { state: 'rejecting', detail: `printer ${queue} is not accepting jobs` };
  }
  return { state: 'ready', detail: `printer ${queue} is ready` };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface LpJob {
  queue: string;
  file: string;
  media: string;
  copies: number;
  /** Job title as CUPS shows it to anyone who lists the queue: no passenger names in it. */
  title: string;
}

/** Hands a PDF to a queue after checking the queue can print now. */
export async function cupsPrint(run: CommandRunner, job: LpJob): Promise<Result<{ requestId: string | null }, PrintErrorCode>> {
  const { state, detail } = await cupsQueueState(run, job.queue);
  if (state === 'missing') return fail('PRINTER_NOT_FOUND', `The printer is not available: ${detail}.`);
  if (state !== 'ready') return fail('PRINTER_OFFLINE', `The printer is offline: ${detail}.`);
  const r = await run('lp', [
    '-d',
    job.queue,
    '-n',
    String(job.copies),
    '-o',
    `media=${job.media}`,
    '-o',
    'print-scaling=none',
    '-t',
    job.title,
    job.file,
  ]);
  if (r.code === 0) return ok({ requestId: /request id is (\S+)/.exec(r.stdout)?.[1] ?? null });
  const why = r.stderr.trim() || `lp exited with ${r.code}`;
  if (MISSING.test(why)) return fail('PRINTER_NOT_FOUND', `The printer is not available: ${why}`);
  if (NOT_ACCEPTING.test(why) || r.code === 127) return fail('PRINTER_OFFLINE', `The printer is offline: ${why}`);
  return fail('PRINT_FAILED', `The printer refused the job: ${why}`);
}
