/**
 * `npm run outage -- <command>`: rehearse an outage against the demo that `npm start` runs.
 *
 *   stop      stop the reference backend (the network is gone, as far as Backstop can tell)
 *   start     start it again, with its data and its clock where they would be
 *   dcs-down  the backend stays reachable but reports the airline's DCS down
 *   dcs-up    the DCS is back
 *   status    whether the backend runs and answers, and what it says of the DCS
 *
 * It works on the backend recorded in .data/demo-backend.json with the admin token in
 * .data/admin-token (see scripts/demo-backend.ts); the app's own server is never touched.
 */
import {
  demoAdminToken,
  demoPaths,
  health,
  isAlive,
  nowFor,
  readState,
  startDemoBackend,
  stopDemoBackend,
  switchDcs,
} from './demo-backend';

const USAGE = `Usage: npm run outage -- stop | start | dcs-down | dcs-up | status
  stop      stop the demo backend: Backstop goes OFFLINE and into fallback mode; keep working
  start     start the demo backend again: Backstop syncs everything done meanwhile
  dcs-down  the backend stays up but reports the DCS down: fallback mode with the network up
  dcs-up    the DCS is back up
  status    is the backend running, does it answer, is the DCS up`;

export async function outage(command: string | undefined, paths = demoPaths()): Promise<number> {
  const state = readState(paths);
  if (command === undefined || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!state) {
    console.error('No demo backend on record (.data/demo-backend.json). Start the demo with `npm start` first.');
    return 1;
  }
  switch (command) {
    case 'stop': {
      const stopped = await stopDemoBackend(paths);
      console.log(
        stopped
          ? `Backend at ${state.url} stopped. Backstop shows OFFLINE and the outage banner within about 20 s; the app keeps serving. \`npm run outage -- start\` brings the backend back.`
          : `The backend at ${state.url} was not running.`,
      );
      return 0;
    }
    case 'start': {
      if (isAlive(state.pid) || (await health(state.url))) {
        console.log(`The backend at ${state.url} is already running.`);
        return 0;
      }
      const now = nowFor(state);
      await startDemoBackend({ port: state.port, station: state.station, detached: true, paths, ...(now ? { now } : {}) });
      console.log(`Backend at ${state.url} started again. Backstop reconnects by itself and sends what was done meanwhile.`);
      return 0;
    }
    case 'dcs-down':
    case 'dcs-up': {
      const result = await switchDcs(state.url, demoAdminToken(paths), command === 'dcs-down' ? 'down' : 'up');
      if (!result.ok) {
        console.error(`Could not switch the DCS: ${result.message}`);
        return 1;
      }
      console.log(`${result.message}. Backstop shows it within about 30 s (at its next health probe).`);
      return 0;
    }
    case 'status': {
      const answer = await health(state.url);
      const running = isAlive(state.pid);
      console.log(
        answer
          ? `Backend at ${state.url}: running${running ? ` (pid ${state.pid})` : ''}, answers, DCS ${answer.dcs}, its time ${answer.serverTime}.`
          : `Backend at ${state.url}: ${running ? `running (pid ${state.pid}) but not answering` : 'stopped'}.`,
      );
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

const [, script, command] = process.argv;
if (script && /outage\.ts$/.test(script)) {
  outage(command).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
