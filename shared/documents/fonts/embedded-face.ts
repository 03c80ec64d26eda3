/**
 * A font file the print documents carry inside their own CSS, as a data: URL: their print windows
 * may load nothing else (CSP `font-src data:`), and a font the machine happens to have would make
 * the same pass look different on every workstation. The files are in embedded.generated.ts.
 */
export interface EmbeddedFace {
  family: string;
  weight: number;
  /** The @fontsource subset the file holds (latin, latin-ext). */
  subset: string;
  /** The file's CSS unicode-range: Chromium decodes the latin-ext file only for a name that needs it. */
  unicodeRange: string;
  /** What a PDF calls the font (after its subset tag), so a print test can tell ours from any other. */
  postscriptName: string;
  /** The woff2 file, base64. */
  woff2: string;
}

/**
 * One @font-face rule. font-display: swap, because if the font were ever not ready when the page is
 * printed, a pass in another font is still a pass; one with invisible text (block) is not.
 */
export function fontFaceRule(face: EmbeddedFace): string {
  return `@font-face { font-family: '${face.family}'; font-style: normal; font-weight: ${face.weight}; font-display: swap; src: url(data:font/woff2;base64,${face.woff2}) format('woff2'); unicode-range: ${face.unicodeRange}; }\n`;
}
