/**
 * The document templates, loaded when the first document is printed rather than with the first
 * screen: with bwip-js, which draws their barcodes, they are a large share of the renderer bundle,
 * and an agent opening the app in an outage needs the departures list first.
 */
import type * as Documents from '../../../shared/documents';

export type Templates = typeof Documents;

let loading: Promise<Templates> | null = null;

export function templates(): Promise<Templates> {
  // A failed load (an interrupted update) is tried again on the next print, not remembered.
  loading ??= import('../../../shared/documents').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
