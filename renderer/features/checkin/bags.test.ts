import { describe, expect, it } from 'vitest';
import { readBagWeights } from './bags';

describe('checked bags as entered at the desk', () => {
  it('needs a weight for each bag, and adds them up', () => {
    expect(readBagWeights('1', [''])).toMatchObject({ ok: false, field: { bag: 0 } });
    expect(readBagWeights('2', ['23', '0'])).toMatchObject({ ok: false, field: { bag: 1 } });
    expect(readBagWeights('2', ['23'])).toMatchObject({ ok: false, field: { bag: 1 } });
    expect(readBagWeights('1', ['23'])).toEqual({ ok: true, count: 1, weightKg: 23, weights: [23] });
    expect(readBagWeights('2', [' 23 ', '18'])).toEqual({ ok: true, count: 2, weightKg: 41, weights: [23, 18] });
  });

  it('accepts no bags, and ignores weights left over when the count goes down', () => {
    expect(readBagWeights('0', [])).toEqual({ ok: true, count: 0, weightKg: 0, weights: [] });
    expect(readBagWeights('', ['12'])).toEqual({ ok: true, count: 0, weightKg: 0, weights: [] });
    expect(readBagWeights('1', ['20', '30'])).toEqual({ ok: true, count: 1, weightKg: 20, weights: [20] });
  });

  it('refuses counts and weights that are not whole numbers or out of range', () => {
    expect(readBagWeights('1.5', ['20'])).toMatchObject({ ok: false, field: 'bags' });
    expect(readBagWeights('-1', [])).toMatchObject({ ok: false, field: 'bags' });
    expect(readBagWeights('21', [])).toMatchObject({ ok: false, field: 'bags' });
    expect(readBagWeights('1', ['abc'])).toMatchObject({ ok: false, field: { bag: 0 } });
    expect(readBagWeights('1', ['19.5'])).toMatchObject({ ok: false, field: { bag: 0 } });
    expect(readBagWeights('1', ['51'])).toMatchObject({ ok: false, field: { bag: 0 } });
  });
});
