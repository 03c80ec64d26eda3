import { strings } from '../strings';

/** A reason a supervisor gives for overriding a rule: one line, kept in the audit trail. */
export function ReasonField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="field field-override">
      <span>{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={200}
        placeholder={strings.passenger.reasonPlaceholder}
        data-testid={testId}
      />
    </label>
  );
}
