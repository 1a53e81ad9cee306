// The Socket.IO connection every screen uses (see docs/protocol.md, "Connecting").
//
// - Reconnects forever. On every (re)connect the server sends a full `state` first, so the screen
//   needs nothing else to catch up.
// - Drops stale messages: a `state` with a lower `version` than the last one applied (except the
//   first state after a connect, which is the server's own snapshot and always wins, e.g. after a
//   server restart), and a `results` with a lower `rev` than the last one for that activity (the
//   baseline resets on every `state`).
// - Passes other events named in `on` ({event: handler}) through, objects only.
// - On `deleted` (the live session is gone) disconnects and reloads the page, which then says so.
// - Reports the connection as "connecting", "connected", "reconnecting", "offline" or "refused"
//   (the server said no: data = {code, message}) through onStatus(status, data).

import { io } from "../../vendor/socket.io.esm.min.js";

export function connect({
  role, code, key = null, version = null,
  onState = () => {}, onResults = () => {}, onCounts = () => {}, onStatus = () => {},
  on = {},
}) {
  const auth = { role, code };
  // A control or projector link carries ?key=...; the server also remembers it in the cookie.
  const urlKey = key || new URLSearchParams(window.location.search).get("key");
  if (urlKey) auth.key = urlKey;

  const socket = io({
    auth,
    // WebSocket first (one process per client when scaled out); long-polling if it is blocked.
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: 10000,
  });

  let status = null;
  let detail = null;
  let failures = 0;
  let lastVersion = Number.isFinite(Number(version)) && version !== null ? Number(version) : -Infinity;
  let firstAfterConnect = false;
  const revs = new Map();
  let refusedTimer = null;

  function setStatus(next, data = null) {
    if (next === status && JSON.stringify(data) === JSON.stringify(detail)) return;
    status = next;
    detail = data;
    onStatus(next, data);
  }

  function applyState(state, fromConnect = false) {
    if (!state || typeof state !== "object") return false;
    const v = Number(state.version);
    const first = firstAfterConnect || fromConnect;
    if (!first && Number.isFinite(v) && v < lastVersion) return false;
    firstAfterConnect = false;
    if (Number.isFinite(v)) lastVersion = v;
    revs.clear();
    onState(state);
    return true;
  }

  socket.on("connect", () => {
    failures = 0;
    firstAfterConnect = true;
    window.clearTimeout(refusedTimer);
    setStatus("connected");
  });

  socket.on("disconnect", (reason) => {
    setStatus(navigator.onLine === false ? "offline" : "reconnecting", { reason });
    // The server closed this connection on purpose: Socket.IO does not retry by itself then.
    if (reason === "io server disconnect") {
      window.setTimeout(() => { if (!socket.connected) socket.connect(); }, 1000);
    }
  });

  socket.on("connect_error", (err) => {
    failures += 1;
    if (!socket.active) {
      // Refused by the server (unknown_code, not_participant, forbidden): no automatic retry.
      // Keep trying slowly anyway: a server that restarts may know this screen again.
      setStatus("refused", (err && err.data) || { code: "refused", message: String(err && err.message) });
      window.clearTimeout(refusedTimer);
      refusedTimer = window.setTimeout(() => { if (!socket.connected) socket.connect(); },
                                       Math.min(30000, 3000 * failures));
      return;
    }
    setStatus(navigator.onLine === false || failures >= 3 ? "offline" : "reconnecting");
  });

  socket.on("state", (state) => applyState(state));

  socket.on("results", (message) => {
    if (!message || typeof message !== "object" || !message.activity) return;
    const rev = Number(message.rev);
    const last = revs.get(message.activity);
    if (last !== undefined && Number.isFinite(rev) && rev < last) return;
    if (Number.isFinite(rev)) revs.set(message.activity, rev);
    onResults(message);
  });

  socket.on("counts", (counts) => {
    if (counts && typeof counts === "object") onCounts(counts);
  });

  // The live session was deleted (by the facilitator, or its retention ran out): stop, and let
  // the page say so (the server answers it with "no session").
  socket.on("deleted", () => {
    socket.disconnect();
    window.location.reload();
  });

  // Other server events a screen wants (e.g. `questions` on the phones): payload objects only.
  for (const [event, handler] of Object.entries(on)) {
    socket.on(event, (payload) => {
      if (payload && typeof payload === "object") handler(payload);
    });
  }

  /** Emit with an ack; resolves {ok:false, error:{code:"offline"|"timeout"}} instead of hanging. */
  function request(event, payload = {}, timeout = 5000) {
    return new Promise((resolve) => {
      if (!socket.connected) {
        resolve({ ok: false, error: { code: "offline", message: "not connected" } });
        return;
      }
      socket.timeout(timeout).emit(event, payload, (err, ack) => {
        if (err) resolve({ ok: false, error: { code: "timeout", message: "no answer in time" } });
        else if (ack && typeof ack === "object") resolve(ack);
        else resolve({ ok: false, error: { code: "bad_ack", message: "unexpected answer" } });
      });
    });
  }

  // A phone that wakes up may hold a connection that is silently dead: ask for a fresh snapshot,
  // and reconnect when it does not come.
  document.addEventListener("visibilitychange", async () => {
    if (document.visibilityState !== "visible") return;
    if (!socket.connected) {
      if (!socket.active) socket.connect();
      return;
    }
    const ack = await request("snapshot", {}, 4000);
    if (ack.ok && ack.state) applyState(ack.state);
    else if (ack.error && ack.error.code === "timeout") {
      socket.disconnect();
      socket.connect();
    }
  });

  window.addEventListener("offline", () => { if (!socket.connected) setStatus("offline"); });
  // Back online: try at once instead of waiting out Socket.IO's backoff delay (up to 5 s).
  // disconnect() drops the pending attempt (and its timer); connect() starts a fresh one, and
  // when that fails the manager's usual retries take over. Requests that were on the wire have
  // already failed with the lost connection, so the phone re-sends its answers on `connect`.
  window.addEventListener("online", () => {
    if (socket.connected) return;
    setStatus("reconnecting");
    socket.disconnect();
    socket.connect();
  });

  setStatus("connecting");

  return {
    socket,
    request,
    applyState,
    get connected() { return socket.connected; },
    get status() { return status; },
  };
}
