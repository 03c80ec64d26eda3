/**
 * Printing with web APIs only, for the browser host: the document goes into a hidden same-origin
 * iframe (srcdoc, sandboxed without scripts) and the browser's print dialog opens on it; the
 * dialog prints to any printer or saves a PDF, and honours the document's @page size. A document
 * can also be downloaded as an HTML file to print or mail later.
 *
 * Each document gets a frame of its own, and no frame is removed while its dialog may still be
 * open: an infant's pass printed right after the adult's can never replace it. (The browser host
 * queues its jobs, so only one print() runs at a time.)
 */

/** Opens the print dialog; the default is the iframe's own window.print(). */
export type PrintFrame = (frame: Window) => void;

const defaultPrintFrame: PrintFrame = (frame) => frame.print();

/** How long a printed iframe stays in the page: browsers other than Chromium return from print() while their dialog is still open. */
const CLEANUP_MS = 60_000;
/** Printed frames kept at most; the oldest go first once their dialogs have long closed. */
const FRAMES_KEPT = 12;
/** A frame that has not loaded its document by then never will. */
const LOAD_TIMEOUT_MS = 15_000;

export async function printInHiddenFrame(html: string, title: string, printFrame: PrintFrame = defaultPrintFrame): Promise<void> {
  const printed = [...document.querySelectorAll<HTMLIFrameElement>('iframe[data-backstop-print="printed"]')];
  for (const old of printed.slice(0, Math.max(0, printed.length - FRAMES_KEPT + 1))) old.remove();
  const iframe = document.createElement('iframe');
  iframe.dataset.backstopPrint = 'loading';
  // allow-same-origin so the page may call print() on it; allow-modals because print() is a modal;
  // no allow-scripts: a document never runs code, whatever its markup says.
  iframe.setAttribute('sandbox', 'allow-same-origin allow-modals');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.title = title;
  iframe.tabIndex = -1;
  // Not display:none: some browsers print nothing from an undisplayed frame.
  Object.assign(iframe.style, {
    position: 'fixed',
    right: '0',
    bottom: '0',
    width: '0',
    height: '0',
    border: '0',
    opacity: '0',
    pointerEvents: 'none',
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loaded = new Promise<void>((resolve, reject) => {
    iframe.addEventListener('load', () => resolve(), { once: true });
    timer = setTimeout(() => reject(new Error('The document did not load for printing. Try again.')), LOAD_TIMEOUT_MS);
  });
  iframe.srcdoc = html;
  document.body.append(iframe);
  try {
    await loaded;
    clearTimeout(timer);
    const frame = iframe.contentWindow;
    if (!frame) throw new Error('The print frame did not open.');
    // Chromium blocks in print() until the dialog closes; other browsers return at once, so the
    // frame stays a while. No afterprint listener: a script-less sandboxed frame refuses to run it.
    printFrame(frame);
    iframe.dataset.backstopPrint = 'printed';
    setTimeout(() => iframe.remove(), CLEANUP_MS);
  } catch (error) {
    clearTimeout(timer);
    iframe.remove();
    throw error;
  }
}

/** A file name from a document title: letters, digits and dashes. */
export function fileNameFor(title: string, extension: string): string {
  const base =
    title
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'document';
  return `${base}.${extension}`;
}

export function downloadFile(content: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
