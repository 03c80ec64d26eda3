/**
 * The drill's words. (Kept beside the feature while strings.ts is being reworked; they belong in
 * renderer/strings.ts with the rest, under `drill`.)
 */
export const drillStrings = {
  title: 'Outage drill',
  intro:
    'A drill rehearses an outage on a copy of this workstation’s data. Everything done during it is marked DRILL, every printout says DRILL — NOT VALID FOR TRAVEL, and nothing is sent to the backend. Ending it prints a drill report and throws the copy away.',
  supervisorOnly: 'Only a supervisor can start or end a drill.',
  start: 'Start drill',
  starting: 'Preparing the drill copy…',
  end: 'End drill',
  ending: 'Ending the drill…',
  running: (since: string, by: string) => `A drill is running since ${since}, started by ${by}. Nothing is sent to the backend.`,
  pill: 'DRILL',
  bannerTitle: 'DRILL',
  banner:
    'Practice outage: work as in fallback mode. Nothing is sent to the backend; passes and documents are marked DRILL — NOT VALID FOR TRAVEL.',
  toReport: 'End the drill in Settings',
  reportTitle: 'Drill report',
  firstPass: 'From “outage” to the first printed pass',
  noPass: 'no pass printed',
  processed: 'Passengers processed',
  perMinute: 'Per minute at this desk',
  errors: 'Errors',
  noErrors: 'none',
  print: 'Print drill report',
  printed: (how: string) => `Drill report ${how}.`,
  notPrinted: 'The drill report was not printed',
  refused: (title: string) => `Refused: ${title}`,
  printFailed: 'Print failed',
  audit: {
    start: (copy: string) => `Started an outage drill on a sandbox copy (${copy}); nothing from it is sent`,
    end: (summary: string) => `Ended the outage drill and discarded its copy: ${summary}`,
    reportPrinted: 'Printed the drill report',
    discarded: (n: number) => `Discarded ${n} drill ${n === 1 ? 'copy' : 'copies'} left by an interrupted drill`,
  },
};
