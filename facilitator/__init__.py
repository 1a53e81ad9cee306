"""Dialoogtafel: live facilitation for interprofessional dialogue tables."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, jsonify, request
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent


def _message_queue(app: Flask) -> dict[str, Any]:
    """Flask-SocketIO's message queue for scale-out. On Redis, a manager of our own: redis-py's
    defaults (a 5 s socket timeout, at most 100 connections) made publishes fail under a burst,
    and python-socketio gives up on an emit after two attempts, logging it through its own
    logger only, here the app's ``socketio.redis`` logger."""
    url = app.config["MESSAGE_QUEUE"] or None
    channel = f"dialoogtafel-sio:{app.config['BUS_CHANNEL']}"
    if url and url.startswith(("redis://", "rediss://")):
        import socketio as python_socketio

        return {
            "client_manager": python_socketio.RedisManager(
                url,
                channel=channel,
                logger=logging.getLogger("socketio.redis"),
                redis_options={
                    "socket_timeout": 30,
                    "socket_connect_timeout": 5,
                    "max_connections": 1000,
                },
            )
        }
    return {"message_queue": url, "channel": channel}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the app: defaults, then DIALOOGTAFEL_* variables, then ``config``."""
    from . import compress, events, i18n, live, migrate  # noqa: F401  (events: the handlers)
    from .config import Config
    from .extensions import babel, db, socketio
    from .views import control, editor, kind_assets, participant, projector

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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'dialoogtafel.db'}"
    if not app.config["PROGRAMMES_DIR"]:
        app.config["PROGRAMMES_DIR"] = str(ROOT / "sessions")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if str(app.config.get("PUBLIC_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True

    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    from . import ratelimit

    ratelimit.init_app(app, events.RATE, events.BURST)
    db.init_app(app)
    migrate.upgrade(app.config["DATABASE_URL"])
    i18n.init_app(app, babel)
    compress.init_app(app)
    origins = [o for o in app.config["CORS_ORIGINS"] if o and o != "*"]
    socketio.init_app(
        app,
        **_message_queue(app),
        async_mode=app.config["ASYNC_MODE"],
        # None = same origin only. Never '*' or [] ([] turns the Origin check off).
        cors_allowed_origins=origins or None,
        max_http_buffer_size=app.config["MAX_MESSAGE_BYTES"],
        logger=False,
        engineio_logger=False,
    )
    live.init_app(app)

    app.register_blueprint(participant.bp)
    app.register_blueprint(control.bp)
    app.register_blueprint(projector.bp)
    app.register_blueprint(editor.bp)
    kind_assets.init_app(app)

    from .cli import register

    register(app)
    from .views import inline_style

    app.jinja_env.globals["inline_style"] = inline_style

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


def _instance_secret(folder: Path) -> str:
    """A secret key kept in the instance folder, so cookies survive a restart."""
    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
