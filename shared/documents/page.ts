/**
 * Paper the documents are laid out for. A document states its page size in millimetres so every
 * path (Electron printToPDF, silent printing, CUPS `lp -o media=…`, the browser's dialog) prints at
 * exactly that size instead of whatever the printer driver defaults to.
 */
import { z } from 'zod';

export const PAPERS = ['A4', 'Letter', 'roll-80', 'atb', 'bag-tag'] as const;
export const Paper = z.enum(PAPERS);
export type Paper = z.infer<typeof Paper>;

export const PageSize = z.object({
  paper: Paper,
  /** Bounds keep a malformed request from asking a printer for a 5-metre page. */
  widthMm: z.number().min(40).max(450),
  heightMm: z.number().min(40).max(1200),
});
export type PageSize = z.infer<typeof PageSize>;

export const PAGE_SIZES: Readonly<Record<Paper, PageSize>> = {
  A4: { paper: 'A4', widthMm: 210, heightMm: 297 },
  Letter: { paper: 'Letter', widthMm: 215.9, heightMm: 279.4 },
  /** 80 mm thermal roll; the cutter ends the page, so the length is what the layout needs. */
  'roll-80': { paper: 'roll-80', widthMm: 80, heightMm: 180 },
  /** IATA ATB (automated ticket and boarding pass) card stock, landscape. */
  atb: { paper: 'atb', widthMm: 203, heightMm: 82 },
  /** Bag-tag stock (IATA Res. 740): a 54 mm self-adhesive strip, here 470 mm long with its receipt stub. */
  'bag-tag': { paper: 'bag-tag', widthMm: 54, heightMm: 470 },
};

/** The stocks a boarding pass can be printed on (bag-tag stock is for bag tags only). */
export const PASS_PAPERS = ['A4', 'Letter', 'roll-80', 'atb'] as const satisfies readonly Paper[];

/** Sheets have margins and page numbers; rolls and cards are single fixed-size pages. */
export function isSheet(paper: Paper): boolean {
  return paper === 'A4' || paper === 'Letter';
}
