import { describe, expect, it } from 'vitest';
import { headcount } from '../../shared/domain/headcount';
import type { Passenger } from '../../shared/domain/schemas';
import { checkedIn, passenger } from '../../shared/testing/fixtures';
import { countPassengers } from './flight-counts';

describe('flight counts', () => {
  it('agree with the shared headcount the gate, close-out and documents use', () => {
    const statuses: Passenger['status'][] = ['booked', 'checked-in', 'boarded', 'offloaded', 'no-show'];
    const list: Passenger[] = [];
    for (let i = 0; i < 60; i++) {
      const status = statuses[i % statuses.length]!;
      const base = status === 'booked' || status === 'no-show' ? passenger({ status }) : checkedIn({ status, seqNo: i + 1 });
      list.push({
        ...base,
        paxType: i % 7 === 0 ? 'INF' : i % 5 === 0 ? 'CHD' : 'ADT',
        standby: status === 'checked-in' && i % 4 === 0,
        seat: status === 'checked-in' && i % 4 === 0 ? null : base.seat,
      });
    }
    const c = countPassengers(list);
    const h = headcount(list);
    expect([c.total, c.checkedIn, c.boarded, c.infants, c.offloaded, c.noShow, c.standby]).toEqual([
      h.total.booked,
      h.total.checkedIn,
      h.total.boarded,
      h.infants.booked,
      h.offloaded,
      h.noShow,
      h.standby,
    ]);
  });
});
