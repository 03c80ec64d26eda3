/**
 * A workstation's sync engine as the integration tests run it: the demo enrolment key, no schedule
 * (each test says when to sync), retries after a millisecond, no jitter, the platform's timers, at
 * station LHR. What a test varies goes in `deps` (sources, emit, fill helpers) and `config`.
 */
import { DEFAULT_ENGINE_CONFIG, SyncEngine, type EngineConfig, type EngineDeps } from '../../renderer/sync/engine';
import { platformTimers } from '../../renderer/sync/timers';

export function testEngine(
  deps: Pick<EngineDeps, 'db' | 'transport' | 'clock'> & Partial<Omit<EngineDeps, 'config'>>,
  config: Partial<EngineConfig> & { workstation: string },
): SyncEngine {
  return new SyncEngine({
    emit: () => {},
    random: () => 0,
    timers: platformTimers,
    ...deps,
    config: {
      ...DEFAULT_ENGINE_CONFIG,
      station: 'LHR',
      enrolmentKey: 'backstop-demo',
      backoff: { baseMs: 1, capMs: 5 },
      breaker: { failureThreshold: 3, openMs: 1 },
      autoSchedule: false,
      ...config,
    },
  });
}
