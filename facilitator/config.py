"""Settings. Defaults here; every key can be set from the environment as DIALOOGTAFEL_<KEY>
(values are parsed as JSON when they can be, so DIALOOGTAFEL_MAX_CONNECTIONS=5000 is a number).
"""

from __future__ import annotations

from datetime import timedelta


class Config:
    #: SQLAlchemy URL; empty means SQLite in the instance folder (instance/dialoogtafel.db).
    DATABASE_URL = ""
    #: Signs the session cookies. Empty means: generated once into instance/secret_key.
    SECRET_KEY = ""
    #: The address phones use (QR codes, links), e.g. "http://192.168.1.20:5000". Empty: the
    #: entry point picks this machine's LAN address; views fall back to the request's host.
    PUBLIC_URL = ""
    #: Folder of programme files.
    PROGRAMMES_DIR = ""
    #: "eventlet" (python app.py), "threading" (tests, CLI) or "gevent" (optional extra).
    ASYNC_MODE = "threading"
    #: Simultaneous connections the eventlet server accepts (its own default is 1024). Twice the
    #: largest room we measure (10,000 phones): a phone's page and join requests leave a
    #: keep-alive connection open beside its WebSocket for a while, and past this cap (and the
    #: reserve) a new connection is refused at once.
    MAX_CONNECTIONS = 20000
    #: Beyond MAX_CONNECTIONS, this many more are accepted for HANDSHAKE_TIMEOUT seconds only,
    #: so that /health and a page still answer when the cap is reached (facilitator/connections.py).
    CONNECTION_RESERVE = 32
    #: Connections from one client address at once (0: no cap). A hall behind one NAT address
    #: shares it: raise it for such a hall. Not applied behind a reverse proxy (PROXY_COUNT > 0),
    #: where every connection comes from the proxy.
    MAX_CONNECTIONS_PER_ADDRESS = 2000
    #: Seconds a new connection has to send its request head (a page, a long-poll, a WebSocket
    #: upgrade) before it is closed.
    HANDSHAKE_TIMEOUT = 5.0
    #: Extra origins allowed to open a Socket.IO connection (same origin is always allowed).
    CORS_ORIGINS: list[str] = []
    #: Largest Socket.IO message in bytes; a bigger one closes the connection.
    MAX_MESSAGE_BYTES = 64 * 1024
    #: Projector/control result updates per live session: at most one per this many seconds.
    BROADCAST_INTERVAL = 0.1
    #: While answers keep coming one by one, their group commit starts a batch at most once per
    #: this many seconds, so that they share a transaction (live/answers.GroupCommit); it adds
    #: up to this much to an answer's acknowledgement. In 10-s bursts of 5,000 answers, 20 and
    #: 30 ms saved no CPU that the runs could tell from their noise (docs/performance.md).
    ANSWERS_PACE = 0.01
    #: New participants per client address: bursts of JOIN_BURST, then JOIN_RATE a second.
    #: When a whole hall reaches a hosted server through one NAT address, raise both (a room
    #: of 1,000 scanning within a minute needs about 300 + 12/s).
    JOIN_BURST = 300
    JOIN_RATE = 12.0
    #: A facilitator sign-in link works once, for this many minutes, and only the newest one
    #: (the server prints one at start; ``flask --app app login-link`` makes a fresh one).
    SIGN_IN_MINUTES = 15
    #: Facilitator sign-in attempts per client address.
    LOGIN_BURST = 10
    LOGIN_RATE = 0.1
    #: Answers sent by the phone page's form (no script) per participant, like the Socket.IO
    #: event budget per connection: a person taps a few times, a script floods.
    FORM_BURST = 10
    FORM_RATE = 1.0
    #: Socket.IO events per participant (all of one participant's connections together) and
    #: per control or projector connection: bursts of EVENT_BURST, then EVENT_RATE a second.
    EVENT_BURST = 20.0
    EVENT_RATE = 10.0
    #: Q&A questions one participant may ask in one Q&A activity, and how many of them may wait
    #: for moderation at once (further ones: ``limit_reached``).
    QUESTIONS_PER_PARTICIPANT = 10
    PENDING_PER_PARTICIPANT = 5
    #: Tracebacks logged for failed events: bursts of TRACEBACK_BURST, then TRACEBACK_RATE a
    #: second; past that a failure is one line without its traceback.
    TRACEBACK_BURST = 5
    TRACEBACK_RATE = 0.1
    #: Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    PROXY_COUNT = 0
    #: Socket.IO message queue for several server processes (e.g. "redis://127.0.0.1:6379/0").
    MESSAGE_QUEUE = ""
    #: Name of this deployment's channels on the message queue (several deployments, or test
    #: runs, can share one Redis).
    BUS_CHANNEL = "main"
    #: Exports made for the control screen's downloads run in a child process each (the server
    #: keeps serving meanwhile): at most EXPORT_JOBS at once per server process; a download
    #: waits at most EXPORT_QUEUE_WAIT seconds for a free slot (then HTTP 503, try again), and
    #: one that takes longer than EXPORT_TIMEOUT seconds is stopped (HTTP 504). A reverse
    #: proxy's read timeout must exceed the sum (docs/deployment.md: 120 s).
    EXPORT_JOBS = 2
    EXPORT_QUEUE_WAIT = 20.0
    EXPORT_TIMEOUT = 90.0
    #: Seconds between the server's purges of live sessions whose retention ran out (the
    #: programme's settings.retention_days after their end); the first runs just after the
    #: start. 0: never (then run `flask --app app purge` from cron).
    PURGE_INTERVAL = 3600.0
    #: Chromium for the PDF report (empty: chromium, chromium-browser or google-chrome on the
    #: PATH).
    CHROMIUM = ""
    #: Flask settings that follow from the above.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_NAME = "dialoogtafel"
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    #: A phone may sleep through a long workshop day and still be the same participant.
    PERMANENT_SESSION_LIFETIME = timedelta(days=2)
    BABEL_DEFAULT_LOCALE = "nl"
    LANGUAGES = ["nl", "en"]
