/**
 * The loud warning of a demo enrolment: a workstation that enrolled with the shared demo key (only
 * possible with a backend on this machine) says so on every screen, sign-in included, so nobody
 * mistakes a demo set-up for a station's. The full sentence is the pill's accessible name and tooltip.
 */
import { useServices } from '../../services';
import { strings } from '../../strings';
import './trust.css';

export function DemoEnrolmentPill() {
  const { info } = useServices();
  if (!info.demoEnrolment) return null;
  return (
    <span
      className="pill pill-demo"
      role="status"
      title={strings.demoEnrolment}
      aria-label={strings.demoEnrolment}
      data-testid="demo-enrolment"
    >
      DEMO
    </span>
  );
}
