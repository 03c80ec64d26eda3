/**
 * A short tone with every gate result, so the agent hears the answer without looking: one high
 * beep for boarded, two low ones for anything else. Silent where audio is unavailable.
 */
let context: AudioContext | null = null;

export function beep(tone: 'ok' | 'warn' | 'bad'): void {
  try {
    context ??= new AudioContext();
    const ctx = context;
    const pulses =
      tone === 'ok'
        ? [{ f: 1320, at: 0 }]
        : [
            { f: 330, at: 0 },
            { f: 330, at: 0.18 },
          ];
    for (const { f, at } of pulses) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.12);
    }
  } catch {
    // No audio device: the screen still says it all.
  }
}
