import { useState } from 'react';
import { strings } from '../../strings';
import { Feedback, type FeedbackState } from '../../ui/Feedback';
import type { FlightData } from '../flight/use-flight';
import { usePrintDocument } from './use-print';

/** Flight documents from the flight screen: passenger manifest, crew passenger list, SSR list. */
export function ManifestPrintButtons({ data }: { data: FlightData }) {
  const print = usePrintDocument();
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const { flight, passengers, seatMap } = data;
  return (
    <span className="print-buttons">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void print.manifest(flight, passengers, seatMap, 'manifest').then(setFeedback)}
      >
        {strings.printing.manifest}
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void print.manifest(flight, passengers, seatMap, 'crew').then(setFeedback)}
      >
        {strings.printing.crewList}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void print.ssr(flight, passengers).then(setFeedback)}>
        {strings.printing.ssrList}
      </button>
      {feedback && <Feedback state={feedback} />}
    </span>
  );
}
