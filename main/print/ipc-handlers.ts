/**
 * The print channels of the IPC contract, answered by the print service. The service starts
 * asynchronously (it reads its queue file); calls made before it is ready simply wait for it.
 */
import type { IpcHandlers } from '../ipc';
import type { PrintService } from './service';

export type PrintChannel = 'print:document' | 'print:printers' | 'print:jobs' | 'print:reprint' | 'print:cancel' | 'print:retry';

export function printIpcHandlers(service: Promise<PrintService>): Pick<IpcHandlers, PrintChannel> {
  return {
    'print:document': async (req) => (await service).submit(req),
    'print:printers': async () => (await service).printers(),
    'print:jobs': async () => (await service).jobList(),
    'print:reprint': async (req) => (await service).reprint(req),
    'print:cancel': async (req) => (await service).cancel(req.jobId),
    'print:retry': async (req) => (await service).retry(req.jobId),
  };
}
