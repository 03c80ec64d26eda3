/**
 * PDF417 drawn as inline SVG by bwip-js. The "generic" entry point of bwip-js has no DOM, canvas or
 * Node dependency, so the same code runs in the Vite-bundled renderer, in Node tests and in main.
 */
import { toSVG, type RenderOptions } from 'bwip-js/generic';
import { escapeHtml, trusted, type SafeHtml } from './html';

export interface Pdf417Options {
  /** Data columns; fewer columns make a narrower, taller symbol (for the 80 mm roll). */
  columns: number;
  /**
   * Module (narrowest bar) width in mm. 0.381 mm (15 mil) is a whole number of dots at 203 dpi
   * thermal and 600 dpi laser printers, and well above what gate scanners resolve.
   */
  moduleMm?: number;
  /** Reed-Solomon error-correction level; 5 survives creases and thermal fading. */
  eclevel?: number;
  label: string;
}

export const DEFAULT_MODULE_MM = 0.381;

export interface Pdf417 {
  svg: SafeHtml;
  widthMm: number;
  heightMm: number;
}

export function pdf417(text: string, o: Pdf417Options): Pdf417 {
  // columns and eclevel are PDF417 options that bwip-js passes through but does not type.
  const options: RenderOptions & { columns: number; eclevel: number } = {
    bcid: 'pdf417',
    text,
    columns: o.columns,
    eclevel: o.eclevel ?? 5,
    scale: 1,
  };
  const svg = toSVG(options);
  // With scale 1 the viewBox is in modules: width × (rows × row height of 3 modules).
  const box = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!box) throw new Error('bwip-js returned an SVG without a viewBox');
  const module = o.moduleMm ?? DEFAULT_MODULE_MM;
  const widthMm = Number(box[1]) * module;
  const heightMm = Number(box[2]) * module;
  const sized = svg.replace(
    '<svg ',
    `<svg width="${widthMm.toFixed(2)}mm" height="${heightMm.toFixed(2)}mm" role="img" aria-label="${escapeHtml(o.label)}" shape-rendering="crispEdges" `,
  );
  return { svg: trusted(sized), widthMm, heightMm };
}

export interface ItfOptions {
  /** Narrow bar width in mm; bag tags use about 0.33–0.5 mm so ramp scanners read them at arm's length. */
  moduleMm: number;
  heightMm: number;
  label: string;
}

/**
 * Interleaved 2 of 5, the symbology of bag-tag licence plates (IATA Res. 740), as inline SVG. The
 * plate is ten digits, an even count, so no padding digit and no check digit are added.
 */
export function itf(digits: string, o: ItfOptions): { svg: SafeHtml; widthMm: number; heightMm: number } {
  if (!/^(\d\d)+$/.test(digits)) throw new Error('Interleaved 2 of 5 needs an even number of digits');
  const options: RenderOptions = { bcid: 'interleaved2of5', text: digits, scale: 1, height: 10, includetext: false };
  const svg = toSVG(options);
  const box = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!box) throw new Error('bwip-js returned an SVG without a viewBox');
  const widthMm = Number(box[1]) * o.moduleMm;
  const sized = svg.replace(
    '<svg ',
    `<svg width="${widthMm.toFixed(2)}mm" height="${o.heightMm.toFixed(2)}mm" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(o.label)}" shape-rendering="crispEdges" `,
  );
  return { svg: trusted(sized), widthMm, heightMm: o.heightMm };
}
