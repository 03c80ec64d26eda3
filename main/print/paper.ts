/**
 * One page size, three spellings: inches for printToPDF, microns for webContents.print, and the
 * media option of CUPS `lp`. Named sizes go by name, so drivers pick their exact paper.
 */
import type { PageSize } from '../../shared/documents/page';

const MM_PER_INCH = 25.4;

export function pdfPageSize(ps: PageSize): 'A4' | 'Letter' | { width: number; height: number } {
  if (ps.paper === 'A4' || ps.paper === 'Letter') return ps.paper;
  return { width: ps.widthMm / MM_PER_INCH, height: ps.heightMm / MM_PER_INCH };
}

export function printPageSize(ps: PageSize): 'A4' | 'Letter' | { width: number; height: number } {
  if (ps.paper === 'A4' || ps.paper === 'Letter') return ps.paper;
  return { width: Math.round(ps.widthMm * 1000), height: Math.round(ps.heightMm * 1000) };
}

/** `-o media=…`: "A4", "Letter", or a custom size such as "Custom.80x180mm". */
export function cupsMedia(ps: PageSize): string {
  if (ps.paper === 'A4' || ps.paper === 'Letter') return ps.paper;
  const mm = (n: number) => String(Math.round(n * 10) / 10);
  return `Custom.${mm(ps.widthMm)}x${mm(ps.heightMm)}mm`;
}
