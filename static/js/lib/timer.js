// The countdown every screen shows (docs/protocol.md, "Control events, more": `start_timer`).
//
// The state carries `timer: {activity, ends_at, seconds, auto_close} | null` with `ends_at` in
// milliseconds on the server's clock, and `server_time` (same unit) when the state was built.
// A screen's own clock may be off by minutes (phones especially), so the remaining time is
// counted on the server's clock: offset = server_time - local time when the state arrived.
// The countdown only shows time; whether answering is open stays the server's word (`answering`).

export class Countdown {
  /** @param {(info: {remaining: number, timer: object}|null) => void} onTick called every tick */
  constructor(onTick) {
    this.onTick = onTick;
    this.timer = null;
    this.offset = 0;
    this.handle = 0;
  }

  /** Take the timer of a new state (null stops the countdown). */
  update(state) {
    const timer = state && state.timer && typeof state.timer === "object" ? state.timer : null;
    if (state && Number.isFinite(Number(state.server_time))) {
      this.offset = Number(state.server_time) - Date.now();
    }
    const valid = timer && Number.isFinite(Number(timer.ends_at));
    this.timer = valid ? timer : null;
    window.clearInterval(this.handle);
    this.handle = 0;
    if (this.timer) this.handle = window.setInterval(() => this.tick(), 250);
    this.tick();
  }

  /** Milliseconds left on the server's clock (0 at the end), or null without a timer. */
  remaining() {
    if (!this.timer) return null;
    return Math.max(0, Number(this.timer.ends_at) - (Date.now() + this.offset));
  }

  tick() {
    const remaining = this.remaining();
    if (remaining === null) {
      this.onTick(null);
      return;
    }
    this.onTick({ remaining, timer: this.timer });
    if (remaining <= 0) {
      // keep showing 0:00 until the next state; no need to tick any more
      window.clearInterval(this.handle);
      this.handle = 0;
    }
  }
}

/** 83000 -> "1:23"; rounds up, so "0:00" shows only when the time is really over. */
export function clock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}
