/**
 * What a text field held before a scan was typed into it, and putting it back. A scanner types into
 * whatever has focus, and by the time Enter shows the keys were a scan they are already in the field.
 */

export type TextField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** Input types a character key types into (or, for a select, picks an option with). */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'password', 'number']);

export interface FieldSnapshot {
  field: TextField;
  value: string;
  selection: { start: number; end: number; direction: 'forward' | 'backward' | 'none' } | null;
}

/** The text field a key typed into, if it went to one. */
export function textFieldOf(target: EventTarget | null): TextField | null {
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type) ? target : null;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return target;
  return null;
}

export function isEditable(target: EventTarget | null): boolean {
  return textFieldOf(target) !== null || (target instanceof HTMLElement && target.isContentEditable);
}

export function snapshotField(field: TextField): FieldSnapshot {
  // Some input types (number, email) have no selection: their selectionStart is null.
  const start = field instanceof HTMLSelectElement ? null : field.selectionStart;
  const end = field instanceof HTMLSelectElement ? null : field.selectionEnd;
  const direction = field instanceof HTMLSelectElement ? null : field.selectionDirection;
  return { field, value: field.value, selection: start === null || end === null ? null : { start, end, direction: direction ?? 'none' } };
}

/**
 * Puts the field back as the snapshot has it. React keeps its own record of a controlled field's
 * value and updates it when `value` is assigned, so an assignment followed by an input event looks
 * like no change to React and its state would keep the scan: the prototype's setter goes round it.
 */
export function restoreField({ field, value, selection }: FieldSnapshot): void {
  if (!field.isConnected) return;
  if (field.value !== value) {
    const prototype =
      field instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : field instanceof HTMLSelectElement
          ? HTMLSelectElement.prototype
          : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
    field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  if (selection && !(field instanceof HTMLSelectElement)) field.setSelectionRange(selection.start, selection.end, selection.direction);
}

/** Restores each field a scan typed into as it was before the scan's first key reached it. */
export function restoreFields(snapshots: readonly (FieldSnapshot | null)[]): void {
  const done = new Set<TextField>();
  for (const snapshot of snapshots) {
    if (!snapshot || done.has(snapshot.field)) continue;
    done.add(snapshot.field);
    restoreField(snapshot);
  }
}
