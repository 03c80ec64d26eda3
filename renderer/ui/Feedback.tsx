import type { WriteOutcome } from '../db/write-path';
import { ruleTitles } from '../strings';

export type FeedbackState = { kind: 'ok' | 'bad'; title: string; message: string } | null;

export function feedbackOf(out: WriteOutcome, okTitle: string, okMessage = ''): FeedbackState {
  if (out.ok) return { kind: 'ok', title: okTitle, message: okMessage };
  return { kind: 'bad', title: ruleTitles[out.code], message: out.message };
}

/** Success or refusal, in words, with the reason; announced to screen readers. */
export function Feedback({ state }: { state: FeedbackState }) {
  if (!state) return null;
  return (
    <div className={`feedback feedback-${state.kind}`} role={state.kind === 'bad' ? 'alert' : 'status'} data-testid="feedback">
      <strong>
        {state.kind === 'ok' ? '✓ ' : '✕ '}
        {state.title}
      </strong>
      {state.message && <span> {state.message}</span>}
    </div>
  );
}
