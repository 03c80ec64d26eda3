/**
 * What the outage banner says, worded by its cause: with the backend unreachable, actions wait on
 * this workstation until the connection returns; with the DCS down (or fallback declared) and the
 * backend reachable, they go to the backend as the agent works. The last contact with the backend
 * is the sync engine's if it has one since the page loaded, else the last complete sync on record
 * in the database, so it survives a reload.
 */
import { localTime, zoneLabel } from '../../../shared/time';
import type { ConnectivityState } from '../../sync/connectivity';
import { strings } from '../../strings';

const s = strings.status;

export interface OutageWords {
  /** Why fallback mode is on, one sentence a cause. */
  causes: string[];
  /** "Last contact 22:14 GMT." / "Last complete sync 22:14 GMT.", or null when there never was one. */
  contact: string | null;
  /** What it means for the agent's work. */
  body: string;
}

export function outageWords(
  c: Pick<ConnectivityState, 'link' | 'dcs' | 'fallbackDeclared' | 'lastOkAt'>,
  lastCompleteSync: string | null,
  zone: string,
): OutageWords {
  const causes: string[] = [];
  if (c.link === 'offline') causes.push(s.outageOffline);
  if (c.dcs === 'down') causes.push(s.outageDcs);
  if (c.fallbackDeclared) causes.push(s.outageDeclared('a supervisor'));
  const at = (iso: string) => `${localTime(iso, zone)} ${zoneLabel(iso, zone)}`;
  const contact = c.lastOkAt ? s.lastContact(at(c.lastOkAt)) : lastCompleteSync ? s.lastCompleteSync(at(lastCompleteSync)) : null;
  const body = c.link === 'offline' ? s.outageBody : c.link === 'degraded' ? s.outageBodySlow : s.outageBodyReachable;
  return { causes, contact, body };
}
