/**
 * The fonts every printed document uses: Atkinson Hyperlegible Next (designed with the Braille
 * Institute for readers with low vision: no letter or digit can be taken for another, 0/O, 1/l/I,
 * 5/S, even in the small type of a thermal roll) and its monospace sibling for codes (PNR, seq,
 * e-ticket), under our own family names. The stacks name no system font; the generic family only catches a character the fonts
 * lack, which tools/fonts/generate.test.ts rules out for everything the templates print.
 */
import { fontFaceRule } from './embedded-face';
import { EMBEDDED_FACES, FONT_FAMILIES, FONT_SOURCES } from './embedded.generated';

export const FONT_SANS = `'${FONT_FAMILIES.sans}', sans-serif`;
export const FONT_MONO = `'${FONT_FAMILIES.mono}', monospace`;

/**
 * Which families a document embeds. The boarding pass prints no codes in mono and leaves those
 * faces out: it is printed once per passenger and every copy is archived.
 */
export type FontSet = 'sans' | 'sans and mono';

const FAMILIES: Record<FontSet, readonly string[]> = {
  sans: [FONT_FAMILIES.sans],
  'sans and mono': [FONT_FAMILIES.sans, FONT_FAMILIES.mono],
};

function fontFaceCss(set: FontSet): string {
  const faces = EMBEDDED_FACES.filter((f) => FAMILIES[set].includes(f.family));
  return `/* ${FONT_SOURCES}: SIL Open Font License 1.1 */\n${faces.map(fontFaceRule).join('')}`;
}

const CSS: Record<FontSet, string> = { sans: fontFaceCss('sans'), 'sans and mono': fontFaceCss('sans and mono') };

/** The @font-face rules of a font set, built once. */
export function fontFaces(set: FontSet): string {
  return CSS[set];
}
