/** The standard passenger masses this workstation's load figures use (the airline's, set by a supervisor or load controller). */
import { DEFAULT_STANDARD_WEIGHTS, StandardWeights } from '../../../shared/domain/load';
import type { BackstopDB } from '../../db/schema';
import { loadSettingsRecord, saveSettingsRecord } from '../../db/settings-record';

const KEY = 'standardWeights';

export function loadStandardWeights(db: BackstopDB): Promise<StandardWeights> {
  return loadSettingsRecord(db, KEY, StandardWeights, DEFAULT_STANDARD_WEIGHTS);
}

export function saveStandardWeights(db: BackstopDB, weights: StandardWeights): Promise<void> {
  return saveSettingsRecord(db, KEY, StandardWeights, weights);
}
