import { describe, expect, it } from 'vitest';
import { readBags } from './bags';

describe('checked bags as entered at the desk', () => {
  it('needs a weight above 0 kg for any bag', () => {
    expect(readBags('1', '')).toMatchObject({ ok: false, field: 'weight' });
    expect(readBags('2', '0')).toMatchObject({ ok: false, field: 'weight' });
    expect(readBags('1', '23')).toEqual({ ok: true, count: 1, weightKg: 23 });
    expect(readBags('2', ' 41 ')).toEqual({ ok: true, count: 2, weightKg: 41 });
  });

  it('accepts no bags and no weight, and refuses a weight without bags', () => {
    expect(readBags('0', '')).toEqual({ ok: true, count: 0, weightKg: 0 });
    expect(readBags('', '0')).toEqual({ ok: true, count: 0, weightKg: 0 });
    expect(readBags('0', '12')).toMatchObject({ ok: false, field: 'bags' });
  });

  it('refuses counts and weights that are not numbers or out of range', () => {
    expect(readBags('1.5', '20')).toMatchObject({ ok: false, field: 'bags' });
    expect(readBags('-1', '20')).toMatchObject({ ok: false, field: 'bags' });
    expect(readBags('21', '300')).toMatchObject({ ok: false, field: 'bags' });
    expect(readBags('1', 'abc')).toMatchObject({ ok: false, field: 'weight' });
    expect(readBags('1', '19.5')).toMatchObject({ ok: false, field: 'weight' });
    expect(readBags('3', '700')).toMatchObject({ ok: false, field: 'weight' });
  });
});
