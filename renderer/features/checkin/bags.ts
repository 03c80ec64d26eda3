/**
 * Checked bags as the agent enters them: how many, then each one's weight from the scale. Every
 * bag gets its own tag, so every bag needs its own weight (a 0 kg bag on the load sheet is a wrong
 * load sheet). Pure, so tested directly.
 */
import { strings } from '../../strings';

export const MAX_BAGS = 20;
/** Heavier than this is freight, not a checked bag. */
export const MAX_PIECE_KG = 50;

export type BagsEntry =
  { ok: true; count: number; weightKg: number; weights: number[] } | { ok: false; field: 'bags' | { bag: number }; message: string };

/** The bag count and one typed weight per bag (extra weight fields beyond the count are ignored). */
export function readBagWeights(countText: string, weightTexts: readonly string[]): BagsEntry {
  const s = strings.checkin;
  const countTrimmed = countText.trim();
  const count = countTrimmed === '' ? 0 : Number(countTrimmed);
  if (!Number.isInteger(count) || count < 0 || count > MAX_BAGS) return { ok: false, field: 'bags', message: s.bagsInvalid(MAX_BAGS) };
  const weights: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = (weightTexts[i] ?? '').trim();
    const kg = Number(text);
    // Whole kilograms, as on bag tags and load sheets.
    if (text === '' || !Number.isInteger(kg) || kg < 1 || kg > MAX_PIECE_KG) {
      return { ok: false, field: { bag: i }, message: s.bagWeightNeeded(i + 1, MAX_PIECE_KG) };
    }
    weights.push(kg);
  }
  return { ok: true, count, weightKg: weights.reduce((a, b) => a + b, 0), weights };
}
