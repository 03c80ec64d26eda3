/**
 * Keyboard-wedge document readers type a passport's machine-readable zone one line at a time,
 * each ending in Enter; the wedge scanner (boarding/use-wedge-scanner.ts) hands each line over as a
 * scan. The station's scan handler (navigation/use-find-by-scan.ts) offers every scan here first:
 * lines of a zone go to the document field waiting for one, so a passport can be read wherever
 * focus is, and everything else goes on to find the passenger of a boarding pass, as before.
 */
import { isMrzLine, mrzShape } from '../../../shared/domain/mrz';

/** Puts a reader's lines together into whole zones: two lines of 44 (passport) or three of 30 (ID card). */
export class MrzCollector {
  private lines: string[] = [];

  /** Feeds one line; returns the whole zone when this line completes one. */
  feed(line: string): string[] | null {
    const text = line.trim().toUpperCase();
    if (!isMrzLine(text)) {
      this.lines = [];
      return null;
    }
    // A line of another length starts another document.
    if (this.lines.length > 0 && this.lines[0]!.length !== text.length) this.lines = [];
    this.lines.push(text);
    const need = text.length === 44 ? 2 : 3;
    if (this.lines.length > need) this.lines = this.lines.slice(-need);
    if (this.lines.length === need && mrzShape(this.lines)) {
      const zone = this.lines;
      this.lines = [];
      return zone;
    }
    return null;
  }
}

export interface DocumentField {
  /** Whether this field still waits for a document (the first such field gets the next one). */
  waiting(): boolean;
  /** A whole zone from the reader. */
  take(zone: string[]): void;
}

const fields: DocumentField[] = [];
const collector = new MrzCollector();

/** A document field on screen takes zones from the reader until it unmounts (call the result). */
export function takeDocumentScans(field: DocumentField): () => void {
  fields.push(field);
  return () => {
    const i = fields.indexOf(field);
    if (i >= 0) fields.splice(i, 1);
  };
}

/**
 * Offers a scan: true when it was a line of a passport's zone and a document field is on screen
 * (then it is taken, and nothing else should act on it).
 */
export function offerDocumentScan(text: string): boolean {
  if (fields.length === 0 || !isMrzLine(text.trim().toUpperCase())) return false;
  const zone = collector.feed(text);
  if (zone) (fields.find((f) => f.waiting()) ?? fields[0]!).take(zone);
  return true;
}
