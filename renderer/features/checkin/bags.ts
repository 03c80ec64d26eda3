/**
 * Checked bags as the agent enters them: a count and a total weight. A bag needs a weight (a 0 kg
 * bag on the load sheet is a wrong load sheet), and a weight needs a bag. Pure, so tested directly.
 */
import { strings } from '../../strings';

export const MAX_BAGS = 20;
export const MAX_WEIGHT_KG = 640;

export type BagsEntry = { ok: true; count: number; weightKg: number } | { ok: false; field: 'bags' | 'weight'; message: string };

export function readBags(countText: string, weightText: string): BagsEntry {
  const s = strings.checkin;
  const countTrimmed = countText.trim();
  const count = countTrimmed === '' ? 0 : Number(countTrimmed);
  if (!Number.isInteger(count) || count < 0 || count > MAX_BAGS) return { ok: false, field: 'bags', message: s.bagsInvalid(MAX_BAGS) };
  const weightTrimmed = weightText.trim();
  const weightKg = weightTrimmed === '' ? 0 : Number(weightTrimmed);
  // Whole kilograms, as on bag tags and load sheets.
  if (!Number.isInteger(weightKg) || weightKg < 0 || weightKg > MAX_WEIGHT_KG) {
    return { ok: false, field: 'weight', message: s.weightInvalid(MAX_WEIGHT_KG) };
  }
  if (count > 0 && weightKg === 0) return { ok: false, field: 'weight', message: s.weightNeeded(count) };
  if (count === 0 && weightKg > 0) return { ok: false, field: 'bags', message: s.bagsNeeded };
  return { ok: true, count, weightKg };
}
