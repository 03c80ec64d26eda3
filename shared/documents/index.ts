/** The print templates: pure functions from domain data to a complete print-ready HTML document. */
export { bagManifest, type BagManifestInput } from './bag-manifest';
export { bagTags, type BagTagInput } from './bag-tag';
export { boardingPass, type BoardingPassInput, type BoardingPassLayout } from './boarding-pass';
export { closeoutReport, type CloseoutInput } from './closeout';
export { flightMessage, loadSheet, type FlightMessageInput, type LoadSheetInput } from './load-sheet';
export { passengerManifest, type ListOrder, type ManifestInput } from './manifest';
export { PAGE_SIZES, PageSize, Paper, PAPERS } from './page';
export { reconciliationReport, type ReconciliationInput, type ReconciliationRow } from './reconciliation';
export { ssrList, type SsrListInput } from './ssr-list';
export { printerTestPage, type TestPageInput } from './test-page';
export { DocumentKind, MAX_DOCUMENT_HTML, PrintDocument, type Provenance } from './types';
