/**
 * Keyboard-wedge barcode scanners "type" the barcode and press Enter into whatever has focus. One
 * listener on the window, in the capture phase so it sees every key before any field or screen
 * does, feeds the keys to a ScanDetector. When Enter completes a scan, the Enter goes no further
 * (no form is submitted, no screen acts on it), any text field the scan typed into is put back as
 * it was before the scan, and the scan goes to one handler: the screen that took the scanner last.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { isEditable, restoreFields, snapshotField, textFieldOf, type FieldSnapshot } from './field-snapshot';
import { ScanDetector } from './scan-detector';

type OnScan = (text: string) => void;

/** Screens using the scanner, in the order they took it; only the last one gets a scan. */
const takers: RefObject<OnScan>[] = [];
const detector = new ScanDetector<FieldSnapshot | null>();

function onKeyDown(e: KeyboardEvent): void {
  const shortcut = (e.ctrlKey || e.altKey || e.metaKey) && !e.getModifierState('AltGraph');
  // A shortcut (Ctrl+V pastes), a held key or an input method's composition: a person, not a scan.
  if (shortcut || e.isComposing || (e.repeat && e.key.length === 1)) {
    detector.interrupt();
    return;
  }
  const field = textFieldOf(e.target);
  const editable = isEditable(e.target);
  // Taken before the key's default action: the field as it was before this key.
  const verdict = detector.key({ key: e.key, timeStamp: e.timeStamp, editable }, field && snapshotField(field));
  if (verdict.kind === 'scan') {
    e.preventDefault();
    e.stopPropagation();
    // Restored before the handler runs, so whatever the handler changes is not undone.
    restoreFields(verdict.marks);
    takers.at(-1)?.current(verdict.text);
  } else if (verdict.kind === 'char' && verdict.fast && e.key === ' ' && !editable) {
    // A pass is full of spaces; typed at scanner speed they must not scroll or press the focused button.
    e.preventDefault();
  }
}

export function useWedgeScanner(onScan: OnScan, enabled = true): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  useEffect(() => {
    if (!enabled) return;
    takers.push(handler);
    if (takers.length === 1) window.addEventListener('keydown', onKeyDown, true);
    return () => {
      takers.splice(takers.indexOf(handler), 1);
      if (takers.length > 0) return;
      window.removeEventListener('keydown', onKeyDown, true);
      detector.interrupt();
    };
  }, [enabled]);
}
