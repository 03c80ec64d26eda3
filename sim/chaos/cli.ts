/**
 * `npm run chaos`: the simulator's scenarios with real processes. The reference backend runs as its
 * own process behind one fault-injecting proxy per workstation (tests/support/fault-proxy.ts), and
 * each workstation is a Chromium process of its own running the built app through the browser host,
 * driven through its screens like an agent would: check-in with a seat from the map (and the pass),
 * boarding by scanning the pass's real BCBP barcode. Faults, all drawn from the seed: dropped,
 * truncated, delayed, 500 and proxy-403 answers; the whole station cut off; one workstation cut off;
 * the backend killed and restarted; a workstation's Chromium killed (SIGKILL) right after an action
 * and started again on its profile. Then everything is healed, each workstation syncs, and the same
 * invariants as the simulator are checked. Ends with a table of the faults injected and the outcomes.
 *
 *   npm run chaos                     the short version (CI): 2 workstations, 4 rounds
 *   npm run chaos -- --long           3 workstations, 16 rounds
 *   npm run chaos -- --seed 7 --workstations 3 --rounds 10
 *
 * Needs the built app (`npm run build`) and Debian's Chromium (/usr/bin/chromium).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { encodeBoardingPass } from '../../shared/bcbp/encode';
import type { Flight, Passenger } from '../../shared/domain/schemas';
import { startBrowserHostServer } from '../../scripts/serve-browser';
import { DEMO_AGENT_PIN } from '../../server/demo/staff';
import { E2E_NOW } from '../../tests/support/e2e-stack';
import { outboxCount } from '../../tests/support/e2e-local-db';
import { startFaultProxy, type Fault, type FaultProxy } from '../../tests/support/fault-proxy';
import { SeededRandom } from '../../tests/support/random';
import { bookable, openFlights, Synced } from '../../tests/support/server-harness';
import { readLocal, verifyLinks } from './local-db';
import { BackendProcess, ChromiumWorkstation, freePort } from './processes';

const ENROLMENT_KEY = 'backstop-demo';
const ADMIN_TOKEN = 'chaos-admin-token-0123456789abcdefghij';
const REQUEST_FAULTS: Fault[] = ['drop', 'drop-after', 'error-500', 'truncate', 'delay', 'forbidden-html'];
const STAFF = [
  ['AG1001', DEMO_AGENT_PIN],
  ['AG1002', DEMO_AGENT_PIN],
  ['AG1003', DEMO_AGENT_PIN],
  ['AG1004', DEMO_AGENT_PIN],
] as const;

interface Options {
  seed: number;
  workstations: number;
  rounds: number;
  actionsPerRound: number;
}

function parse(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const long = argv.includes('--long');
  return {
    seed: Number(get('seed') ?? 1),
    workstations: Math.min(4, Math.max(2, Number(get('workstations') ?? (long ? 3 : 2)))),
    rounds: Number(get('rounds') ?? (long ? 16 : 4)),
    actionsPerRound: Number(get('actions') ?? 3),
  };
}

interface Desk {
  name: string;
  staff: readonly [string, string];
  ws: ChromiumWorkstation;
  proxy: FaultProxy;
  ui: { url: string; close(): Promise<void> };
  cut: boolean;
}

/** A passenger holding a pass: who issued it and what it says (seat, seq). */
interface Pass {
  passenger: Passenger;
  desk: string;
}

class Tally {
  readonly faults = new Map<string, number>();
  readonly actions = new Map<string, number>();
  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

async function signIn(page: Page, staffId: string, pin: string): Promise<void> {
  await page.getByLabel('Staff ID').fill(staffId);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });
}

async function openFlight(page: Page, f: Flight): Promise<void> {
  await page.getByRole('button', { name: 'Departures', exact: true }).click();
  await page.getByTestId('flight-filter').fill(`${f.carrier}${f.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await page.getByRole('heading', { name: new RegExp(`${f.carrier}${f.number}`) }).waitFor({ timeout: 30_000 });
}

/** A passenger's row on the open flight's manifest, as the screen shows it: seq, name, seat, status. */
async function manifestRow(
  page: Page,
  p: Passenger,
): Promise<{ text: string; seqNo: number | null; seat: string | null; status: Passenger['status'] }> {
  let text: string | null = null;
  // Typed again once when the list does not show them: a search typed while the list re-renders can be lost.
  for (let attempt = 0; attempt < 2 && text === null; attempt++) {
    await page.getByTestId('tab-manifest').click();
    await page.getByTestId('manifest-search').fill('');
    await page.getByTestId('manifest-search').fill(p.eticket);
    text = await page
      .getByTestId(`pax-${p.id}`)
      .innerText({ timeout: attempt === 0 ? 10_000 : 20_000 })
      .catch(() => null);
  }
  if (text === null) throw new Error(`${p.id} is not on this workstation's manifest`);
  const status = /BOARDED/i.test(text)
    ? 'boarded'
    : /CHECKED IN/i.test(text)
      ? 'checked-in'
      : /OFFLOADED/i.test(text)
        ? 'offloaded'
        : /NO.?SHOW/i.test(text)
          ? 'no-show'
          : 'booked';
  const seq = /^\s*(\d{1,4})\b/.exec(text)?.[1];
  const seat = /\b(\d{1,3}[A-K])\b/.exec(text.replace(/^\s*\d{1,4}\b/, ''))?.[1] ?? null;
  return { text, seqNo: seq ? Number(seq) : null, seat, status };
}

async function waitForData(page: Page): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const text = await page
      .getByTestId('data-age')
      .innerText()
      .catch(() => 'Never synced');
    if (!text.includes('Never synced')) return;
    await page.waitForTimeout(500);
  }
  throw new Error('the workstation never synced');
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  const rng = new SeededRandom(o.seed);
  const tally = new Tally();
  const started = Date.now();
  const uiRoot = path.resolve(import.meta.dirname, '..', '..', 'out', 'renderer');
  if (!fs.existsSync(path.join(uiRoot, 'index.html'))) {
    console.error('chaos: the app is not built; run `npm run build` first.');
    return 2;
  }
  console.log(`chaos: seed ${o.seed}, ${o.workstations} workstations, ${o.rounds} rounds of ${o.actionsPerRound} actions`);
  const backend = new BackendProcess({
    port: await freePort(),
    seed: o.seed,
    flights: 10,
    adminToken: ADMIN_TOKEN,
    enrolmentKey: ENROLMENT_KEY,
    startInstant: E2E_NOW,
  });
  const desks: Desk[] = [];
  const violations: { invariant: string; detail: string }[] = [];
  try {
    await backend.start();
    for (let i = 0; i < o.workstations; i++) {
      const name = `DESK-${String.fromCharCode(65 + i)}`;
      const proxy = await startFaultProxy(backend.url);
      const ui = await startBrowserHostServer({
        port: 0,
        backendUrl: proxy.url,
        station: 'LHR',
        workstation: name,
        enrolmentKey: ENROLMENT_KEY,
        now: new Date(Date.parse(E2E_NOW) + (Date.now() - started)).toISOString(),
      });
      const ws = new ChromiumWorkstation(name, ui.url);
      desks.push({ name, staff: STAFF[i]!, ws, proxy, ui, cut: false });
    }
    for (const d of desks) {
      const page = await d.ws.start();
      await waitForData(page);
      await signIn(page, ...d.staff);
    }

    // The flight everyone works, and the passengers who turn up, in the order they turn up.
    const observer = await Synced.enrol(backend.url, 'CHAOS-OBSERVER');
    const flight = openFlights(observer.replica).find((f) => bookable(observer.replica, f.id).length >= o.rounds * o.actionsPerRound)!;
    if (!flight) throw new Error('no flight with enough passengers to work');
    const queue = rng.shuffle(bookable(observer.replica, flight.id));
    const handled = new Set(queue.map((p) => p.id));
    const passes: Pass[] = [];
    const aboard = new Set<string>();
    for (const d of desks) await openFlight(d.ws.page!, flight);
    console.log(`chaos: working ${flight.carrier}${flight.number} (${flight.id}), ${queue.length} passengers to come`);

    const setFaults = () => {
      for (const d of desks) d.proxy.setFaults(() => (d.cut ? 'drop' : 'pass'));
    };
    const restart = async (d: Desk) => {
      const page = await d.ws.start();
      await waitForData(page);
      await signIn(page, ...d.staff);
      await openFlight(page, flight);
    };

    /** A desk checks the next passenger in, with the first free seat its own copy shows; kills it mid-way when told to. */
    const checkIn = async (d: Desk, kill: boolean) => {
      const p = queue.shift();
      if (!p) return;
      const page = d.ws.page!;
      // Served again after an attempt that looked lost: the desk may have committed it after all
      // (the screen was read before it showed the check-in). The passenger holds that pass.
      const before = await manifestRow(page, p);
      if (before.status === 'checked-in' || before.status === 'boarded') {
        passes.push({ passenger: { ...p, status: 'checked-in', seat: before.seat, seqNo: before.seqNo }, desk: d.name });
        tally.count(tally.actions, 'check-in found done when served again');
        return;
      }
      // The agent picks the passenger and checks the check-in panel shows them (a click while the
      // filtered list re-renders can leave the previous passenger selected).
      const panel = page.getByTestId('checkin-panel').filter({ hasText: p.lastName });
      const shown = () =>
        panel.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        );
      let picked = false;
      for (let attempt = 0; attempt < 3 && !picked; attempt++) {
        await page.getByTestId('tab-manifest').click();
        await page.getByTestId(`pax-${p.id}`).click();
        await page.getByTestId('tab-checkin').click();
        picked = await shown();
      }
      if (!picked || !(await page.getByTestId('bags-input').isVisible())) {
        // Not offered for check-in on this screen: the passenger is served again later.
        queue.push(p);
        tally.count(tally.actions, 'passenger not offered for check-in (served again)');
        return;
      }
      // The first free seat the map offers (outside exit rows): what two desks that cannot see each other both pick.
      const free = page.locator('.seat-row:not(.exit-row) button[data-seat]:not([disabled])').first();
      const seat = await free.getAttribute('data-seat', { timeout: 15_000 }).catch(() => null);
      if (!seat) {
        queue.push(p);
        return;
      }
      await free.click();
      await page.getByTestId('bags-input').fill('1');
      await page.getByTestId('weight-input').fill('20');
      await page.getByTestId('docs-check').check();
      await page.getByTestId('checkin-submit').click();
      if (kill) {
        // Killed as the agent pressed the button: what IndexedDB committed is all there is.
        await page.waitForTimeout(rng.int(0, 150));
        await d.ws.kill();
        tally.count(tally.faults, 'workstation killed (SIGKILL) mid-check-in');
        await restart(d);
      } else {
        // This passenger's answer (a feedback of an earlier action may still be on screen).
        await page
          .getByTestId('feedback')
          .filter({ hasText: p.lastName })
          .or(page.getByRole('alert'))
          .first()
          .waitFor({ timeout: 30_000 })
          .catch(() => undefined);
      }
      const now = await manifestRow(d.ws.page!, p);
      if (now.status === 'checked-in' || now.status === 'boarded') {
        passes.push({ passenger: { ...p, status: 'checked-in', seat: now.seat, seqNo: now.seqNo }, desk: d.name });
        tally.count(tally.actions, 'check-in');
      } else {
        // Not committed: the passenger is still at the desk and is served again.
        queue.unshift(p);
        tally.count(tally.actions, 'check-in lost with the process (served again)');
      }
    };

    /** A desk scans a pass someone holds: through the gate if the screen says so. */
    const board = async (d: Desk) => {
      const waiting = passes.filter((x) => !aboard.has(x.passenger.id));
      if (waiting.length === 0) return;
      const pass = rng.pick(waiting);
      const page = d.ws.page!;
      await page.getByTestId('tab-boarding').click();
      await page.keyboard.type(encodeBoardingPass({ flight, passenger: pass.passenger, issuedOn: flight.date }), { delay: 2 });
      await page.keyboard.press('Enter');
      // This scan's answer: the result box names the passenger (an earlier scan's answer may still be showing).
      const result = page.getByTestId('gate-result').filter({ hasText: pass.passenger.lastName });
      let title = await result
        .getByTestId('gate-title')
        .innerText({ timeout: 15_000 })
        .catch(() => '');
      // No readable answer on the gate screen: the agent looks the passenger up before letting them through.
      if (title === '' && (await manifestRow(page, pass.passenger)).status === 'boarded') title = 'BOARDED';
      if (/BOARDED/.test(title)) {
        aboard.add(pass.passenger.id);
        tally.count(tally.actions, pass.desk === d.name ? 'boarding' : 'boarding a pass from another desk');
      } else {
        const shown =
          title ||
          (await page
            .getByTestId('gate-title')
            .innerText()
            .catch(() => ''));
        tally.count(tally.actions, `boarding refused: ${shown.split('\n')[0] || 'no answer on screen'}`);
      }
    };

    for (let round = 1; round <= o.rounds; round++) {
      const phase = rng.pick(['flaky', 'station-cut', 'desk-cut', 'backend-restart', 'calm'] as const);
      for (const d of desks) d.cut = false;
      if (phase === 'station-cut') {
        for (const d of desks) d.cut = true;
        tally.count(tally.faults, 'whole station cut off');
      } else if (phase === 'desk-cut') {
        rng.pick(desks).cut = true;
        tally.count(tally.faults, 'one workstation cut off');
      }
      setFaults();
      if (phase === 'flaky') {
        const rate = 0.2 + rng.next() * 0.3;
        for (const d of desks) {
          const r = new SeededRandom(rng.int(1, 1_000_000));
          d.proxy.setFaults(() => (r.chance(rate) ? r.pick(REQUEST_FAULTS) : 'pass'));
        }
        tally.count(tally.faults, 'flaky network (dropped, truncated, delayed, 500, proxy 403)');
      }
      if (phase === 'backend-restart') {
        const signal = rng.chance(0.5) ? 'SIGKILL' : 'SIGTERM';
        await backend.restart(signal);
        tally.count(tally.faults, `backend restarted (${signal})`);
      }
      console.log(`chaos: round ${round}: ${phase}`);
      for (let a = 0; a < o.actionsPerRound; a++) {
        const d = rng.pick(desks);
        if (passes.length === 0 || rng.chance(0.55)) await checkIn(d, rng.chance(0.12));
        else await board(d);
      }
    }

    // Heal: every network back, every workstation syncs until its outbox is empty, then once more to pull.
    for (const d of desks) d.cut = false;
    setFaults();
    if (!backend.running) await backend.start();
    for (const d of desks) {
      const page = d.ws.page!;
      for (let i = 0; i < 60 && (await outboxCount(page)) > 0; i++) {
        const button = page.getByRole('button', { name: 'Sync now' });
        if (await button.isEnabled().catch(() => false)) await button.click();
        await page.waitForTimeout(1_000);
      }
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const d of desks) {
        const button = d.ws.page!.getByRole('button', { name: 'Sync now' });
        if (await button.isEnabled().catch(() => false)) await button.click();
      }
      await desks[0]!.ws.page!.waitForTimeout(3_000);
    }

    // The checks.
    await observer.sync();
    const onRecord = observer.replica.passengers(flight.id);
    const boarded = new Set(onRecord.filter((p) => p.status === 'boarded' && p.paxType !== 'INF').map((p) => p.id));
    const missing = [...aboard].filter((id) => !boarded.has(id));
    const extra = [...boarded].filter((id) => handled.has(id) && !aboard.has(id));
    if (missing.length > 0 || extra.length > 0) {
      violations.push({
        invariant: 'souls-on-board',
        detail: `on board but not on record: ${missing.join(', ') || 'none'}; on record but never through the gate: ${extra.join(', ') || 'none'}`,
      });
    }
    const seqs = new Map<number, string>();
    for (const p of onRecord) {
      if ((p.status !== 'checked-in' && p.status !== 'boarded') || p.seqNo === null) continue;
      if (seqs.has(p.seqNo)) violations.push({ invariant: 'seq-unique', detail: `${seqs.get(p.seqNo)} and ${p.id} hold ${p.seqNo}` });
      seqs.set(p.seqNo, p.id);
    }
    for (const d of desks) {
      const local = await readLocal(d.ws.page!);
      if (local.outbox.length > 0)
        violations.push({ invariant: 'outbox-stuck', detail: `${d.name}: ${local.outbox.length} actions waiting` });
      for (const r of local.outcomes.filter((x) => x.status === 'rejected' || x.status === 'conflict')) {
        violations.push({ invariant: 'fact-lost', detail: `${d.name}: ${r.type} ${r.passengerId ?? ''} ${r.status} ${r.code ?? ''}` });
      }
      const chain = verifyLinks(local.audit);
      if (!chain.ok) violations.push({ invariant: 'audit-chain', detail: `${d.name}: broken at ${chain.at}: ${chain.reason}` });
      // What the desk's screen shows for every passenger the run handled, against the backend.
      const differences: string[] = [];
      await openFlight(d.ws.page!, flight);
      for (const p of onRecord.filter((x) => handled.has(x.id))) {
        const shown = await manifestRow(d.ws.page!, p);
        if (shown.status !== p.status || (p.seqNo !== null && shown.seqNo !== p.seqNo)) {
          differences.push(
            `${p.id}: ${shown.status} seq ${shown.seqNo ?? '—'} on screen, ${p.status} seq ${p.seqNo ?? '—'} on the backend`,
          );
        }
      }
      if (differences.length > 0) {
        violations.push({
          invariant: 'convergence',
          detail: `${d.name}: ${differences.length} differences: ${differences.slice(0, 5).join('; ')}`,
        });
      }
      for (const p of d.ws.problems) violations.push({ invariant: 'console', detail: p });
    }

    // The table.
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    console.log(`\nchaos: seed ${o.seed} · ${o.workstations} workstations · ${minutes} min · ${flight.carrier}${flight.number}`);
    console.log('\n  fault injected                                               times');
    for (const [k, n] of [...tally.faults].sort()) console.log(`  ${k.padEnd(60)} ${String(n).padStart(5)}`);
    for (const d of desks) {
      const requests = d.proxy.log.filter((l) => l.fault !== 'pass');
      const byKind = new Map<string, number>();
      for (const r of requests) byKind.set(r.fault, (byKind.get(r.fault) ?? 0) + 1);
      console.log(
        `  ${`${d.name} requests faulted by its proxy`.padEnd(60)} ${String(requests.length).padStart(5)}  (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
      );
    }
    console.log('\n  action                                                       times');
    for (const [k, n] of [...tally.actions].sort()) console.log(`  ${k.padEnd(60)} ${String(n).padStart(5)}`);
    console.log('\n  outcome');
    console.log(`  passengers through the gate ${aboard.size}, boarded on the backend ${boarded.size}`);
    for (const inv of ['fact-lost', 'souls-on-board', 'seq-unique', 'convergence', 'audit-chain', 'outbox-stuck', 'console']) {
      const n = violations.filter((v) => v.invariant === inv).length;
      console.log(`  ${n === 0 ? 'ok  ' : 'FAIL'} ${inv}${n ? ` (${n})` : ''}`);
    }
    for (const v of violations.slice(0, 30)) console.log(`    ${v.invariant}: ${v.detail}`);
    console.log(
      `\nchaos: ${violations.length === 0 ? 'PASS' : 'FAIL'} — replay: npm run chaos -- --seed ${o.seed} --workstations ${o.workstations} --rounds ${o.rounds}`,
    );
    return violations.length === 0 ? 0 : 1;
  } catch (error) {
    console.error('chaos: the run itself failed:', error);
    fs.mkdirSync('test-results', { recursive: true });
    for (const d of desks) {
      const shot = `test-results/chaos-${d.name.toLowerCase()}-failure.png`;
      if (await d.ws.page?.screenshot({ path: shot }).catch(() => null)) console.error(`chaos: ${d.name}'s screen: ${shot}`);
    }
    return 3;
  } finally {
    for (const d of desks) {
      await d.ws.dispose().catch((e: unknown) => console.error(`chaos: ${d.name} cleanup: ${String(e)}`));
      await d.ui.close().catch(() => undefined);
      await d.proxy.close().catch(() => undefined);
    }
    await backend.dispose().catch((e: unknown) => console.error(`chaos: backend cleanup: ${String(e)}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('chaos:', error);
    process.exit(3);
  },
);
