/**
 * Every string the UI shows, in one place, ready for translation. Rule refusals come with a code
 * from shared/ and an English message; `ruleMessages` may override them per language.
 */
export const strings = {
  appName: 'Backstop',
  startup: {
    failed: 'Backstop could not start',
    retry: 'Try again',
  },
  station: {
    title: (station: string) => `Departures ${station}`,
    empty: 'No flights in the local copy yet.',
    emptyHint: (backend: string) => `Backstop fills it on the first sync with ${backend}. It keeps working from this copy when the network is down.`,
    columns: { time: 'STD', flight: 'Flight', to: 'To', gate: 'Gate', status: 'Status', booked: 'Booked', checkedIn: 'Checked in', boarded: 'Boarded', asOf: 'Data as of' },
  },
  status: {
    workstation: 'Workstation',
    neverSynced: 'Never synced',
  },
} as const;
