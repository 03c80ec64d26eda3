/**
 * Tells a keyboard-wedge scan from a person typing, from key events alone (no DOM), so every case
 * can be tested with exact timings. A scanner "types" the barcode and presses Enter; when Enter
 * comes, the characters typed before it are a scan if either
 *  - they end in something shaped like a whole BCBP message (its own size fields add up): no person
 *    types that, so it counts however the keys were spaced — a busy machine can stretch any gap; or
 *  - they end in a burst typed at scanner speed, long enough that no person types it that fast (in
 *    a text field the burst must also look like a boarding pass or a line of a passport's zone from
 *    a document reader, since text there may be wanted).
 * Times are the events' own `timeStamp`s, taken when the browser received each key: a renderer
 * that was busy hands over keys late, but with their true spacing.
 */
import { isBcbpShaped } from '../../../shared/bcbp/shape';
import { isMrzLine } from '../../../shared/domain/mrz';
import { looksLikeBoardingPass } from './lookup';

export interface ScanKey {
  /** `KeyboardEvent.key`. */
  key: string;
  /** `KeyboardEvent.timeStamp`: when the browser created the event, not when a handler ran. */
  timeStamp: number;
  /** The key went to a text field (so it also typed text there). */
  editable: boolean;
}

export type ScanVerdict<Mark> =
  /** Enter completed a scan: its text, and what the caller attached to each of its keys, in order. */
  | { kind: 'scan'; text: string; marks: Mark[] }
  /** A character was kept; `fast` when it followed the one before at scanner speed. */
  | { kind: 'char'; fast: boolean }
  /** Anything else: an Enter that ended no scan, a key that breaks a scan, a modifier. */
  | { kind: 'none' };

export interface ScanThresholds {
  /** Fewest characters a burst needs to be a scan by speed alone. */
  minBurstLength: number;
  /** Longest gap between keys (and before Enter) that still counts as scanner speed. */
  maxBurstGapMs: number;
  /** Characters kept before the oldest are dropped. */
  maxBuffered: number;
}

export const SCAN_THRESHOLDS: ScanThresholds = {
  // People type short things fast (a seq, a seat, a PNR, a name); 20 characters at scanner speed
  // they do not. The shortest boarding pass is 60.
  minBurstLength: 20,
  // Wedge scanners send a key every 1–40 ms (40 is about the slowest inter-character delay they are
  // set to); people type 80–250 ms apart, and even fast typists' quickest pairs (~50 ms) never
  // come 20 in a row.
  maxBurstGapMs: 60,
  // A four-leg pass with full conditional sections and security data stays under about 1,500.
  maxBuffered: 1600,
};

const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'NumLock', 'ScrollLock', 'Fn']);

interface Typed<Mark> {
  char: string;
  timeStamp: number;
  editable: boolean;
  mark: Mark;
}

export class ScanDetector<Mark = undefined> {
  private typed: Typed<Mark>[] = [];

  constructor(private readonly thresholds: ScanThresholds = SCAN_THRESHOLDS) {}

  /** Feeds one keydown; `mark` is kept with the character and handed back if it ends up in a scan. */
  key(event: ScanKey, mark: Mark): ScanVerdict<Mark> {
    if (event.key === 'Enter') {
      const scan = this.complete(event);
      this.typed = [];
      return scan ?? { kind: 'none' };
    }
    if (event.key.length === 1) return this.keep(event, mark);
    // Scanners press Shift for capitals; other keys (Backspace, Tab, arrows…) mean a person editing.
    if (!MODIFIERS.has(event.key)) this.typed = [];
    return { kind: 'none' };
  }

  /** Forgets what was typed: a shortcut, a paste, or no one listening any more. */
  interrupt(): void {
    this.typed = [];
  }

  private keep(event: ScanKey, mark: Mark): ScanVerdict<Mark> {
    const previous = this.typed.at(-1);
    this.typed.push({ char: event.key, timeStamp: event.timeStamp, editable: event.editable, mark });
    if (this.typed.length > this.thresholds.maxBuffered) this.typed.splice(0, this.typed.length - this.thresholds.maxBuffered);
    return { kind: 'char', fast: previous !== undefined && this.isScannerGap(previous.timeStamp, event.timeStamp) };
  }

  private complete(enter: ScanKey): ScanVerdict<Mark> | null {
    const start = this.shapedStart() ?? this.burstStart(enter) ?? this.zoneLineStart();
    if (start === null) return null;
    const scan = this.typed.slice(start);
    return { kind: 'scan', text: scan.map((t) => t.char).join(''), marks: scan.map((t) => t.mark) };
  }

  /** Where the boarding pass that the buffer ends with begins (its prefix included), if it ends with one. */
  private shapedStart(): number | null {
    const text = this.typed.map((t) => t.char).join('');
    for (let i = text.indexOf('M'); i !== -1; i = text.indexOf('M', i + 1)) {
      if (!/[1-4]/.test(text.charAt(i + 1))) continue;
      if (i >= 3 && isBcbpShaped(text.slice(i - 3))) return i - 3;
      if (isBcbpShaped(text.slice(i))) return i;
    }
    return null;
  }

  /** Where the burst typed at scanner speed right up to Enter begins, if it is long enough to be a scan. */
  private burstStart(enter: ScanKey): number | null {
    const last = this.typed.at(-1);
    if (!last || !this.isScannerGap(last.timeStamp, enter.timeStamp)) return null;
    let start = this.typed.length - 1;
    while (start > 0 && this.isScannerGap(this.typed[start - 1]!.timeStamp, this.typed[start]!.timeStamp)) start--;
    const burst = this.typed.slice(start);
    if (burst.length < this.thresholds.minBurstLength) return null;
    const inField = enter.editable || burst.some((t) => t.editable);
    const text = burst.map((t) => t.char).join('');
    // A document reader types each line of a passport's zone the same way: a scan too, wherever it lands.
    if (inField && !looksLikeBoardingPass(text) && !isMrzLine(text)) return null;
    return start;
  }

  /**
   * A line of a passport's zone that a document reader typed on a busy machine: a few keys arrived
   * late, but most came at scanner speed (half or more of its gaps), which no person manages for 30
   * or 44 characters of A–Z, 0–9 and <.
   */
  private zoneLineStart(): number | null {
    for (const n of [44, 30]) {
      if (this.typed.length < n) continue;
      const tail = this.typed.slice(-n);
      if (!isMrzLine(tail.map((t) => t.char).join(''))) continue;
      const fast = tail.slice(1).filter((t, i) => this.isScannerGap(tail[i]!.timeStamp, t.timeStamp)).length;
      if (fast * 2 >= n - 1) return this.typed.length - n;
    }
    return null;
  }

  private isScannerGap(before: number, after: number): boolean {
    return after - before <= this.thresholds.maxBurstGapMs;
  }
}
