import { encode } from 'bcbp';
import { describe, expect, it } from 'vitest';
import { encodeBoardingPass } from '../../../shared/bcbp/encode';
import { parseBoardingPassScan } from '../../../shared/bcbp/scan';
import { checkedIn, flight } from '../../../tests/support/fixtures';
import { SCAN_THRESHOLDS, ScanDetector, type ScanVerdict } from './scan-detector';

const F = flight();
const pass = encodeBoardingPass({
  flight: F,
  passenger: checkedIn({ lastName: 'OKAFOR', firstName: 'LIAM', seat: '14C', seqNo: 12 }),
  issuedOn: F.date,
});

/** Gap before each key: a fixed number of milliseconds, or one per key. */
type Gaps = number | ((index: number) => number);

interface Typing {
  gaps?: Gaps;
  editable?: boolean;
  /** Gap before Enter (default: the same as between keys). */
  enterGap?: number;
}

/** Types `text` then Enter into the detector, as the keyboard would, and returns Enter's verdict. */
class Keyboard {
  readonly detector = new ScanDetector<number>();
  private now = 1_000;
  private typedSoFar = 0;

  type(text: string, { gaps = 1, editable = false }: Typing = {}): ScanVerdict<number>[] {
    return [...text].map((key, i) => {
      this.now += typeof gaps === 'number' ? gaps : gaps(i);
      return this.detector.key({ key, timeStamp: this.now, editable }, this.typedSoFar++);
    });
  }

  press(key: string, gap = 1, editable = false): ScanVerdict<number> {
    this.now += gap;
    return this.detector.key({ key, timeStamp: this.now, editable }, -1);
  }

  pause(ms: number): void {
    this.now += ms;
  }

  /** Types `text` and presses Enter; the verdict of the Enter. */
  enter(text: string, typing: Typing = {}): ScanVerdict<number> {
    this.type(text, typing);
    const gaps = typing.gaps ?? 1;
    return this.press('Enter', typing.enterGap ?? (typeof gaps === 'number' ? gaps : gaps(text.length)), typing.editable);
  }
}

function scanned(verdict: ScanVerdict<number>): string | null {
  return verdict.kind === 'scan' ? verdict.text : null;
}

/** Human inter-key gaps between `min` and `max` ms, the same every run. */
function humanGaps(min: number, max: number, seed = 7): (index: number) => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return min + (state % (max - min + 1));
  };
}

describe('recognising a scan', () => {
  it('recognises a pass typed with 1 ms gaps', () => {
    expect(scanned(new Keyboard().enter(pass, { gaps: 1 }))).toBe(pass);
  });

  it('recognises a pass typed with 40 ms gaps', () => {
    expect(scanned(new Keyboard().enter(pass, { gaps: 40 }))).toBe(pass);
  });

  it('recognises a pass by its shape when a stall put 200 ms between two of its keys', () => {
    const stalled = new Keyboard().enter(pass, { gaps: (i) => (i === 30 ? 200 : 2) });
    expect(scanned(stalled)).toBe(pass);
  });

  it('recognises a pass by its shape when the machine was busy all through the scan', () => {
    expect(scanned(new Keyboard().enter(pass, { gaps: humanGaps(1, 400), enterGap: 300 }))).toBe(pass);
  });

  it('recognises a pass scanned into a text field, and hands back the marks of its own keys only', () => {
    const kb = new Keyboard();
    kb.type('SMI', { gaps: 180, editable: true });
    kb.pause(1_500);
    const verdict = kb.enter(pass, { gaps: 3, editable: true });
    expect(scanned(verdict)).toBe(pass);
    expect(verdict.kind === 'scan' && verdict.marks[0]).toBe(3);
    expect(verdict.kind === 'scan' && verdict.marks).toHaveLength(pass.length);
  });

  it('recognises a pass sent with the ]L0 symbology prefix, prefix and all', () => {
    const verdict = new Keyboard().enter(`]L0${pass}`, { gaps: 5 });
    expect(scanned(verdict)).toBe(`]L0${pass}`);
    expect(parseBoardingPassScan(`]L0${pass}`, { today: F.date }).ok).toBe(true);
  });

  it('recognises a two-leg through pass', () => {
    const leg = { compartmentCode: 'Y', passengerStatus: '1', flightDate: new Date('2026-08-14T00:00:00Z') };
    const through = encode({
      data: {
        passengerName: 'DESMARAIS/LUC',
        legs: [
          {
            ...leg,
            operatingCarrierPNR: 'ABC123',
            departureAirport: 'YUL',
            arrivalAirport: 'FRA',
            operatingCarrierDesignator: 'AC',
            flightNumber: '0834',
            seatNumber: '001A',
            checkInSequenceNumber: '0025',
          },
          {
            ...leg,
            operatingCarrierPNR: 'DEF456',
            departureAirport: 'FRA',
            arrivalAirport: 'GVA',
            operatingCarrierDesignator: 'LH',
            flightNumber: '3664',
            seatNumber: '012C',
            checkInSequenceNumber: '0002',
          },
        ],
      },
    });
    expect(scanned(new Keyboard().enter(through, { gaps: (i) => (i === 70 ? 250 : 1) }))).toBe(through);
  });

  it('recognises a real scan after garbage and a long pause', () => {
    const kb = new Keyboard();
    kb.type('M1X3#GARBAGE FROM A BAD READ', { gaps: 1 });
    kb.pause(5_000);
    const verdict = kb.enter(pass, { gaps: 2 });
    expect(scanned(verdict)).toBe(pass);
  });

  it('recognises the next scan after a scan cut short (no Enter) and a pause', () => {
    const kb = new Keyboard();
    kb.type(pass.slice(0, 45), { gaps: 1 });
    kb.pause(800);
    expect(scanned(kb.enter(pass, { gaps: 1 }))).toBe(pass);
  });

  it('does not stumble over the Shift a scanner presses for capitals', () => {
    const kb = new Keyboard();
    for (const char of pass) {
      kb.press('Shift', 1);
      kb.type(char, { gaps: 1 });
    }
    expect(scanned(kb.press('Enter', 1))).toBe(pass);
  });

  it('takes a fast burst that is no boarding pass as a scan outside text fields, so the gate can say why it is unusable', () => {
    expect(scanned(new Keyboard().enter('4006381333931 HELLO WORLD 42', { gaps: 2 }))).toBe('4006381333931 HELLO WORLD 42');
    expect(scanned(new Keyboard().enter(pass.slice(0, 50), { gaps: 2 }))).toBe(pass.slice(0, 50));
  });

  it('leaves a fast burst that is no boarding pass in a text field as text', () => {
    expect(new Keyboard().enter('4006381333931 HELLO WORLD 42', { gaps: 2, editable: true }).kind).toBe('none');
  });

  it('takes a pass cut short but typed at scanner speed into a text field as a scan, so the agent hears it is incomplete', () => {
    expect(scanned(new Keyboard().enter(pass.slice(0, 50), { gaps: 2, editable: true }))).toBe(pass.slice(0, 50));
  });

  it('says which characters came at scanner speed, so a scan’s spaces can be kept from pressing buttons', () => {
    const kb = new Keyboard();
    const verdicts = kb.type('AB', { gaps: 300 }).concat(kb.type('CD', { gaps: 2 }));
    expect(verdicts.map((v) => v.kind === 'char' && v.fast)).toEqual([false, false, true, true]);
  });
});

describe('not mistaking typing for a scan', () => {
  it.each([
    ['a name', 'OKAFOR/LIAM'],
    ['a name with spaces', 'VAN DER BERG ANNA MARIA'],
    ['a PNR', 'QX7L2M'],
    ['a seat', '14C'],
    ['a sequence number', '112'],
    ['a flight', 'BQ123'],
    ['an un-board reason', 'Passenger left the aircraft, feeling unwell, bags to be offloaded'],
  ])('does not take %s typed by a person and Enter as a scan', (_what, text) => {
    for (const editable of [true, false]) {
      expect(new Keyboard().enter(text, { gaps: humanGaps(80, 250), editable }).kind).toBe('none');
    }
  });

  it('does not take a fast typist’s short text (~50 ms apart) as a scan', () => {
    for (const text of ['OKAFOR/LIAM', 'QX7L2M', '14C', 'SMITH JOHN', 'BQ123 LHR']) {
      for (const editable of [true, false]) {
        expect(new Keyboard().enter(text, { gaps: humanGaps(35, 65), editable }).kind).toBe('none');
      }
    }
  });

  it('does not take a burst too short for a pass as a scan, however fast', () => {
    expect(new Keyboard().enter('M1OKAFOR/LIAM  E', { gaps: 1 }).kind).toBe('none');
    expect(new Keyboard().enter('X'.repeat(SCAN_THRESHOLDS.minBurstLength - 1), { gaps: 1 }).kind).toBe('none');
  });

  it('does not take a pass’s first half, then a person’s Enter, as a scan', () => {
    const kb = new Keyboard();
    kb.type(pass.slice(0, 59), { gaps: 1 });
    expect(kb.press('Enter', 400).kind).toBe('none');
  });

  it('forgets a scan once Enter has ended it, so a second Enter is only an Enter', () => {
    const kb = new Keyboard();
    expect(kb.enter(pass, { gaps: 1 }).kind).toBe('scan');
    expect(kb.press('Enter', 1).kind).toBe('none');
  });

  it('lets Backspace and other editing keys break a burst', () => {
    const kb = new Keyboard();
    kb.type(pass.slice(0, 40), { gaps: 1, editable: true });
    kb.press('Backspace', 1, true);
    kb.type(pass.slice(40), { gaps: 1, editable: true });
    expect(kb.press('Enter', 1, true).kind).toBe('none');
  });

  it('lets the caller interrupt a burst (a shortcut or a paste)', () => {
    const kb = new Keyboard();
    kb.type(pass.slice(0, 40), { gaps: 1, editable: true });
    kb.detector.interrupt();
    kb.type(pass.slice(40), { gaps: 1, editable: true });
    expect(kb.press('Enter', 1, true).kind).toBe('none');
  });
});

describe('keeping the buffer bounded', () => {
  it('keeps only the last characters of a long run without Enter, and still finds the scan at its end', () => {
    const kb = new Keyboard();
    kb.type('X'.repeat(10_000), { gaps: 1 });
    const runOn = kb.press('Enter', 1);
    expect(runOn.kind === 'scan' && runOn.text.length).toBe(SCAN_THRESHOLDS.maxBuffered);
    kb.type('Y'.repeat(10_000), { gaps: 1 });
    expect(scanned(kb.enter(pass, { gaps: 1 }))).toBe(pass);
  });
});

describe('document readers', () => {
  it('takes a passport zone line typed into a text field at scanner speed as a scan, and a person typing one as text', () => {
    const line = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
    const fast = new ScanDetector<number>();
    let t = 0;
    for (const [i, ch] of [...line].entries()) fast.key({ key: ch, timeStamp: (t += 8), editable: true }, i);
    expect(fast.key({ key: 'Enter', timeStamp: t + 8, editable: true }, -1)).toMatchObject({ kind: 'scan', text: line });
    // On a busy machine some keys arrive late: still a scan while most came at scanner speed.
    const stalled = new ScanDetector<number>();
    for (const [i, ch] of [...line].entries()) stalled.key({ key: ch, timeStamp: (t += i % 4 === 3 ? 140 : 8), editable: true }, i);
    expect(stalled.key({ key: 'Enter', timeStamp: t + 8, editable: true }, -1)).toMatchObject({ kind: 'scan', text: line });
    const slow = new ScanDetector<number>();
    for (const [i, ch] of [...line].entries()) slow.key({ key: ch, timeStamp: (t += 180), editable: true }, i);
    expect(slow.key({ key: 'Enter', timeStamp: t + 180, editable: true }, -1)).toEqual({ kind: 'none' });
  });
});
