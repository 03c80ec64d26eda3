import { describe, expect, it, vi } from 'vitest';
import { cupsPrint, cupsQueueState, listCupsQueues, type CommandResult, type CommandRunner } from './cups';
import { cupsMedia, pdfPageSize, printPageSize } from './paper';
import { PAGE_SIZES } from '../../shared/documents/page';

vi.mock('electron', () => ({}));

/** CUPS tools as they answer on a Debian machine (LANG=C), keyed by command line. */
function cups(answers: Record<string, Partial<CommandResult>>): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = async (command: string, args: readonly string[]) => {
    calls.push([command, ...args]);
    const a = answers[[command, ...args].join(' ')] ?? answers[command] ?? {};
    return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  };
  return Object.assign(run, { calls });
}

const READY = {
  stdout: 'printer PDF is idle.  enabled since Thu Nov 26 03:17:25 2026\nPDF accepting requests since Thu Nov 26 03:17:25 2026\n',
};

describe('CUPS queue state', () => {
  it.each<[string, Partial<CommandResult>, string]>([
    ['ready', READY, 'ready'],
    [
      'paused',
      { stdout: 'printer PDF disabled since Thu Nov 26 03:28:37 2026 -\n\tPaused\nPDF accepting requests since Thu Nov 26 2026\n' },
      'disabled',
    ],
    [
      'rejecting',
      { stdout: 'printer PDF is idle.  enabled since Thu\nPDF not accepting requests since Thu Nov 26 2026 -\n\tRejecting Jobs\n' },
      'rejecting',
    ],
    ['missing', { code: 1, stderr: 'lpstat: Invalid destination name in list "PDF".\n' }, 'missing'],
    ['scheduler down', { code: 1, stderr: 'lpstat: Scheduler is not running.\n' }, 'unavailable'],
    ['CUPS not installed', { code: 127, stderr: 'lpstat: ENOENT' }, 'unavailable'],
  ])('reads %s', async (_name, answer, state) => {
    await expect(cupsQueueState(cups({ lpstat: answer }), 'PDF')).resolves.toMatchObject({ state });
  });
});

describe('printing through lp', () => {
  it('checks the queue, then hands over the PDF with media, copies, no scaling and a title without names', async () => {
    const run = cups({ lpstat: READY, lp: { stdout: 'request id is PDF-12 (1 file(s))\n' } });
    const r = await cupsPrint(run, {
      queue: 'PDF',
      file: '/u/prints/a.pdf',
      media: 'Custom.80x180mm',
      copies: 2,
      title: 'Backstop boarding-pass 1234',
    });
    expect(r).toEqual({ ok: true, value: { requestId: 'PDF-12' } });
    expect(run.calls[1]).toEqual([
      'lp',
      '-d',
      'PDF',
      '-n',
      '2',
      '-o',
      'media=Custom.80x180mm',
      '-o',
      'print-scaling=none',
      '-t',
      'Backstop boarding-pass 1234',
      '/u/prints/a.pdf',
    ]);
  });

  it('does not hand a job to a paused queue, where the agent could not see it', async () => {
    const run = cups({ lpstat: { stdout: 'printer PDF disabled since Thu -\n\tPaused\n' } });
    await expect(cupsPrint(run, { queue: 'PDF', file: '/a.pdf', media: 'A4', copies: 1, title: 't' })).resolves.toMatchObject({
      ok: false,
      code: 'PRINTER_OFFLINE',
    });
    expect(run.calls.map((c) => c[0])).toEqual(['lpstat']);
  });

  it('classifies lp refusals', async () => {
    const refused = cups({ lpstat: READY, lp: { code: 1, stderr: 'lp: Destination "PDF" is not accepting jobs.' } });
    await expect(cupsPrint(refused, { queue: 'PDF', file: '/a.pdf', media: 'A4', copies: 1, title: 't' })).resolves.toMatchObject({
      ok: false,
      code: 'PRINTER_OFFLINE',
    });
    const broken = cups({ lpstat: READY, lp: { code: 1, stderr: 'lp: Unsupported document-format "application/pdf".' } });
    await expect(cupsPrint(broken, { queue: 'PDF', file: '/a.pdf', media: 'A4', copies: 1, title: 't' })).resolves.toMatchObject({
      ok: false,
      code: 'PRINT_FAILED',
    });
  });

  it('lists queues with their state and the default', async () => {
    const run = cups({
      'lpstat -p': { stdout: 'printer PDF is idle.  enabled since Thu\nprinter Gate_Thermal disabled since Thu -\n\tPaused\n' },
      'lpstat -a': { stdout: 'PDF accepting requests since Thu\nGate_Thermal not accepting requests since Thu -\n' },
      'lpstat -d': { stdout: 'system default destination: Gate_Thermal\n' },
    });
    await expect(listCupsQueues(run)).resolves.toEqual([
      { name: 'PDF', enabled: true, accepting: true, isDefault: false },
      { name: 'Gate_Thermal', enabled: false, accepting: false, isDefault: true },
    ]);
  });
});

describe('page sizes for each print path', () => {
  it('names A4 and Letter, and gives custom sizes in inches, microns and CUPS media', () => {
    expect([pdfPageSize(PAGE_SIZES.A4), printPageSize(PAGE_SIZES.Letter), cupsMedia(PAGE_SIZES.A4)]).toEqual(['A4', 'Letter', 'A4']);
    expect(pdfPageSize(PAGE_SIZES.atb)).toEqual({ width: 203 / 25.4, height: 82 / 25.4 });
    expect(printPageSize(PAGE_SIZES['roll-80'])).toEqual({ width: 80_000, height: 180_000 });
    expect(cupsMedia(PAGE_SIZES.atb)).toBe('Custom.203x82mm');
  });
});
