import { describe, expect, it } from 'vitest';
import { outageWords } from './outage-words';

const zone = 'Europe/London';
const base = { link: 'online' as const, dcs: 'up' as const, fallbackDeclared: false, lastOkAt: null };

describe('the outage banner in words', () => {
  it('says actions wait for the connection only when the backend cannot be reached', () => {
    const w = outageWords({ ...base, link: 'offline', lastOkAt: '2027-03-27T22:14:00.000Z' }, null, zone);
    expect(w.causes).toEqual(['The backend cannot be reached.']);
    expect(w.body).toMatch(/sent when the connection returns/);
    expect(w.contact).toBe('Last contact 22:14 GMT.');
  });

  it('with the DCS down and the network up, says actions go to the backend now', () => {
    const w = outageWords({ ...base, dcs: 'down', lastOkAt: '2027-03-27T22:29:00.000Z' }, null, zone);
    expect(w.causes).toEqual(['The backend reports the departure control system (DCS) is down.']);
    expect(w.body).not.toMatch(/when the connection returns/);
    expect(w.body).toMatch(/backend is reachable/);
  });

  it('with fallback declared on a slow link, says actions go as the connection allows', () => {
    const w = outageWords({ ...base, link: 'degraded', fallbackDeclared: true }, null, zone);
    expect(w.causes).toEqual(['Fallback declared by a supervisor.']);
    expect(w.body).toMatch(/as the connection allows/);
  });

  it('after a reload, when the sync engine has not reached the backend yet, shows the last complete sync on record', () => {
    const w = outageWords({ ...base, link: 'offline' }, '2027-03-28T01:05:00.000Z', zone);
    expect(w.contact).toMatch(/^Last complete sync 02:05 (BST|GMT\+1)\.$/);
    expect(outageWords({ ...base, link: 'offline' }, null, zone).contact).toBeNull();
  });
});
