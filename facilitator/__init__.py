"""Dialoogtafel: live facilitation for interprofessional dialogue tables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the app: defaults, then DIALOOGTAFEL_* variables, then ``config``."""
    from . import clients, compress, events, i18n, live, migrate  # noqa: F401  (events: handlers)
    from .config import Config
    from .extensions import babel, db, socketio
    from .views import control, editor, kind_assets, participant, projector, table

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config)
    app.config.from_prefixed_env("DIALOOGTAFEL")
    if config:
        app.config.update(config)
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    if instance.stat().st_mode & 0o077 and instance.stat().st_uid == os.getuid():
        instance.chmod(0o700)  # the database, the secret key: for this user only
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'dialoogtafel.db'}"
    if not app.config["PROGRAMMES_DIR"]:
        app.config["PROGRAMMES_DIR"] = str(ROOT / "sessions")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if str(app.config.get("PUBLIC_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True

    app.session_interface = _SessionInterface()
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    from . import ratelimit

    ratelimit.init_app(app, app.config["EVENT_RATE"], app.config["EVENT_BURST"])
    db.init_app(app)
    migrate.upgrade(app.config["DATABASE_URL"])
    i18n.init_app(app, babel)
    compress.init_app(app)
    origins = [o for o in app.config["CORS_ORIGINS"] if o and o != "*"]
    socketio.init_app(
        app,
        client_manager=clients.client_manager(app),
        async_mode=app.config["ASYNC_MODE"],
        # None = same origin only. Never '*' or [] ([] turns the Origin check off).
        cors_allowed_origins=origins or None,
        max_http_buffer_size=app.config["MAX_MESSAGE_BYTES"],
        logger=False,
        engineio_logger=False,
        # a connection's events one after the other in its reader, in the order sent: no
        # green thread per event (docs/architecture.md, "The path of an answer")
        async_handlers=False,
    )
    events.init_app(app)
    live.init_app(app)

    app.register_blueprint(participant.bp)
    app.register_blueprint(control.bp)
    app.register_blueprint(projector.bp)
    app.register_blueprint(table.bp)
    app.register_blueprint(editor.bp)
    kind_assets.init_app(app)

    from .cli import register

    register(app)
    from .views import inline_style

    app.jinja_env.globals["inline_style"] = inline_style

    from werkzeug.exceptions import InternalServerError

    from .views import session_vanished

    app.register_error_handler(InternalServerError, session_vanished)

    @app.get("/health")
    def health() -> Any:
        with db.reader() as s:
            s.execute(text("SELECT 1"))
        return jsonify({"ok": True})

    @app.after_request
    def security_headers(resp: Any) -> Any:
        # inline <style> blocks are allowed one by one, by their hash (views.inline_style)
        styles = "".join(f" '{h}'" for h in g.get("csp_style_hashes", ()))
        ancestors = g.get("frame_ancestors", "'none'")
        resp.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src 'self'{styles}; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            f"frame-ancestors {ancestors}; "
            "form-action 'self'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        # control and projector links carry keys: never send them on as a Referer
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        # only the projector page may be framed, by this site (the control screen's preview)
        resp.headers.setdefault(
            "X-Frame-Options", "SAMEORIGIN" if g.get("frame_ancestors") else "DENY"
        )
        if request.path.startswith(("/control", "/projector", "/j/", "/login", "/editor")):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    return app


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, whose cookie is also ``Secure`` whenever the request came
    over https: directly, or through a trusted proxy that says so (``X-Forwarded-Proto``, read
    by ProxyFix only when ``PROXY_COUNT`` trusts that proxy). Without it the cookie was Secure
    only when ``PUBLIC_URL`` began with https."""

    def __init__(self) -> None:
        #: the signing serializer, made once per set of keys (Flask makes a new one for every
        #: request; it holds nothing of a request)
        self._serializers: dict[tuple[Any, ...], Any] = {}

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app)) or (has_request_context() and request.is_secure)

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._serializers.get(keys)
        if made is None:
            made = self._serializers[keys] = super().get_signing_serializer(app)
        return made


def _instance_secret(folder: Path) -> str:
    """A secret key kept in the instance folder, so cookies survive a restart."""
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
