import { strings } from '../strings';

export function StartupError({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main className="startup-error" role="alert">
      <h1>{strings.startup.failed}</h1>
      <p>{message}</p>
      <button type="button" className="btn btn-primary" onClick={() => location.reload()}>
        {strings.startup.retry}
      </button>
    </main>
  );
}
