import { describe, expect, it } from 'vitest';
import { bcbpName } from './bcbp/fields';
import { foldName, matchName, nameIndexEntry, nameMatches, squashName } from './names';

const obrien = { lastName: "O'BRIEN", firstName: 'PATRICK' };
const harrisJones = { lastName: 'HARRIS-JONES', firstName: 'ALEXANDRA' };
const muller = { lastName: 'MÜLLER', firstName: 'JÜRGEN' };

describe('folding a name', () => {
  it('drops apostrophes, breaks words at hyphens, removes diacritics, upper-cases', () => {
    expect(foldName("o'Brien")).toBe('OBRIEN');
    expect(foldName('O’Brien')).toBe('OBRIEN');
    expect(foldName('Harris-Jones')).toBe('HARRIS JONES');
    expect(foldName('Müller')).toBe('MULLER');
    expect(foldName('Çelik  Şahin')).toBe('CELIK SAHIN');
    expect(foldName('Strauß')).toBe('STRAUSS');
    expect(foldName('Søren Łukasz Ærø')).toBe('SOREN LUKASZ AERO');
    expect(foldName('smith / anna', true)).toBe('SMITH/ANNA');
    expect(squashName("O' Brien-Smith")).toBe('OBRIENSMITH');
  });
});

describe('matching what agents type', () => {
  it.each(["O'BRIEN", 'OBRIEN', 'O BRIEN', 'obrien', "o'brien patrick", 'OBRIEN/PAT', 'O BRIEN/PATRICK', 'o’brien'])(
    '%s finds O’BRIEN',
    (q) => {
      expect(nameMatches(q, obrien)).toBe(true);
    },
  );

  it.each(['HARRIS-JONES', 'HARRISJONES', 'HARRIS JONES', 'harris jones alex', 'JONES', 'HARRISJONES/ALEX'])(
    '%s finds HARRIS-JONES',
    (q) => {
      expect(nameMatches(q, harrisJones)).toBe(true);
    },
  );

  it.each(['MÜLLER', 'MULLER', 'muller jurgen', 'MULLER/JURGEN', 'Müller/Jürgen'])('%s finds MÜLLER', (q) => {
    expect(nameMatches(q, muller)).toBe(true);
  });

  it('matches a BCBP name cut at 20 characters, with or without the first name reached', () => {
    const long = { lastName: 'MONTGOMERY-SMYTHE', firstName: 'ALEXANDRA' };
    expect(bcbpName(long)).toBe('MONTGOMERYSMYTHE/ALE');
    expect(bcbpName(long)).toHaveLength(20);
    expect(nameMatches(bcbpName(long), long)).toBe(true);
    const longer = { lastName: 'WOLFESCHLEGELSTEINHAUSEN', firstName: 'HUBERT' };
    expect(nameMatches(bcbpName(longer), longer)).toBe(true);
    expect(nameMatches(bcbpName(harrisJones), harrisJones)).toBe(true);
  });

  it('ranks the whole name above its start above a later word, and rejects other names', () => {
    expect(matchName('OBRIEN PATRICK', obrien)).toBe(0);
    expect(matchName("O'BRIEN/PATRICK", obrien)).toBe(0);
    expect(matchName('OBRIEN', obrien)).toBe(1);
    expect(matchName('PATRICK', obrien)).toBe(2);
    expect(matchName('BRIEN', obrien)).toBeNull();
    expect(matchName('SMITH', obrien)).toBeNull();
    expect(matchName('HARRIS/ANNA', harrisJones)).toBeNull();
    expect(matchName('', obrien)).toBeNull();
    expect(matchName("'", obrien)).toBeNull();
  });

  it('keeps first-word and first-name prefixes working ("SMI AN", "SMITH/AN")', () => {
    const anna = { lastName: 'SMITH', firstName: 'ANNA' };
    expect(nameMatches('SMI AN', anna)).toBe(true);
    expect(nameMatches('SMITH/AN', anna)).toBe(true);
    expect(nameMatches('SMITH/BO', anna)).toBe(false);
  });
});

describe('the index form of a name', () => {
  it('holds the squashed name from each word', () => {
    expect(nameIndexEntry("HARRIS-JONES O'NEIL ANNA")).toBe('HARRISJONESONEILANNA JONESONEILANNA ONEILANNA ANNA');
    expect(nameIndexEntry('MÜLLER JÜRGEN')).toBe('MULLERJURGEN JURGEN');
    expect(nameIndexEntry('')).toBe('');
  });
});
