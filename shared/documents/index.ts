/** The print templates: pure functions from domain data to a complete print-ready HTML document. */
export { boardingPass, type BoardingPassInput, type BoardingPassLayout } from './boarding-pass';
export { closeoutReport, type CloseoutInput } from './closeout';
export { passengerManifest, type ListOrder, type ManifestInput } from './manifest';
export { PAGE_SIZES, PageSize, Paper, PAPERS } from './page';
export { reconciliationReport, type ReconciliationInput, type ReconciliationRow } from './reconciliation';
export { ssrList, type SsrListInput } from './ssr-list';
export { printerTestPage, type TestPageInput } from './test-page';
export { DocumentKind, MAX_DOCUMENT_HTML, PrintDocument, type Provenance } from './types';
