import { describe, expect, it } from 'vitest';
import { MrzCollector, offerDocumentScan, takeDocumentScans } from './document-scans';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

describe('lines from a document reader', () => {
  it('make a passport zone after two lines and an identity card zone after three', () => {
    const c = new MrzCollector();
    expect(c.feed(TD3[0]!)).toBeNull();
    expect(c.feed(TD3[1]!)).toEqual(TD3);
    expect(c.feed(TD1[0]!)).toBeNull();
    expect(c.feed(TD1[1]!)).toBeNull();
    expect(c.feed(TD1[2]!)).toEqual(TD1);
  });

  it('start again after a line of another kind', () => {
    const c = new MrzCollector();
    c.feed(TD1[0]!);
    expect(c.feed(TD3[0]!)).toBeNull();
    expect(c.feed(TD3[1]!)).toEqual(TD3);
    expect(c.feed('M1SMITH/ANNA')).toBeNull();
  });

  it('go to the first document field still waiting, and only when one is on screen', () => {
    expect(offerDocumentScan(TD3[0]!)).toBe(false);
    const got: string[][] = [];
    let adultDone = false;
    const adult = takeDocumentScans({ waiting: () => !adultDone, take: (z) => ((adultDone = true), got.push(['adult', ...z])) });
    const infant = takeDocumentScans({ waiting: () => true, take: (z) => got.push(['infant', ...z]) });
    expect(offerDocumentScan(TD3[0]!)).toBe(true);
    expect(offerDocumentScan(TD3[1]!)).toBe(true);
    expect(offerDocumentScan(TD1[0]!)).toBe(true);
    expect(offerDocumentScan(TD1[1]!)).toBe(true);
    expect(offerDocumentScan(TD1[2]!)).toBe(true);
    // A boarding pass is not a document: it goes on to find its passenger.
    expect(offerDocumentScan('M1ERIKSSON/ANNA       EABC123 LHRJFKBQ 0123 330Y014C0012 100')).toBe(false);
    expect(got).toEqual([
      ['adult', ...TD3],
      ['infant', ...TD1],
    ]);
    adult();
    infant();
    expect(offerDocumentScan(TD3[0]!)).toBe(false);
  });
});
