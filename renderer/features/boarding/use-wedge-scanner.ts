/**
 * Keyboard-wedge barcode scanners "type" the barcode and press Enter. This listens on the whole
 * window, so a scan is recognised wherever the focus is not in a text field (text fields get the
 * scan as typed text and handle Enter themselves). Short bursts are ignored: people type too.
 */
import { useEffect, useRef } from 'react';

const MIN_SCAN_LENGTH = 20;
/** A pause longer than this between characters starts a new burst. */
const MAX_GAP_MS = 80;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function useWedgeScanner(onScan: (text: string) => void, enabled = true): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  useEffect(() => {
    if (!enabled) return;
    let buffer = '';
    let last = 0;
    const onKeyDown = (e: KeyboardEvent) => {
      if (isEditable(e.target) || e.ctrlKey || e.altKey || e.metaKey) return;
      const now = performance.now();
      if (now - last > MAX_GAP_MS) buffer = '';
      last = now;
      if (e.key === 'Enter') {
        if (buffer.length >= MIN_SCAN_LENGTH) {
          e.preventDefault();
          const text = buffer;
          buffer = '';
          handler.current(text);
        }
        buffer = '';
        return;
      }
      if (e.key.length === 1) {
        buffer += e.key;
        // Space would scroll the page; the pass needs it as data.
        if (e.key === ' ') e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [enabled]);
}
