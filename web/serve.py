"""`verifier serve`: the web app and JSON API under waitress, a production WSGI server (pure Python, threads,
so one loaded model serves every request).

The port opens at once and the model and index load in the background (health answers 503 until they
are ready); if loading fails (a part of the index missing, unreadable or at odds with the others: see
verifier/index/integrity.py), the server stops and the command exits with the reason on one line, exit
code 2 for a damaged index. The loader stops the server with SIGTERM's handler (`interrupt_main`), which
works whether or not SIGINT is ignored (`nohup`, `&` in a script).

The server sets CPython's GIL switch interval to 0.5 ms (default 5 ms). Request threads share one
interpreter: a request that drops the GIL for a moment (numpy, SQLite, FAISS, the encoder) waits up to a
whole interval to get it back while another request runs the checks. With 4 threads checking at once,
0.5 ms gave 38 claims/s against 32 and a median latency of 97-100 ms against 115-117
(`benchmarks/latency.py`, both orders).
"""

from __future__ import annotations

import _thread
import logging
import signal
import sys

import click

from verifier import IndexDamaged, Settings, Verifier

SWITCH_INTERVAL_S = 0.0005


@click.command("serve")
@click.option("--index", "index_dir", required=True, type=click.Path(file_okay=False), help="Index folder.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.pass_obj
def serve(settings: Settings | None, index_dir: str, host: str, port: int) -> None:
    """Serve the check page, batch page and JSON API (/api/v1) for an index.

    Loads the model and index once; requests share them, their checks grouped by one check queue
    (settings web_threads and queue_*).
    Adding statements over the API is off unless the setting api_token is set (use VERIFIER_API_TOKEN).
    API docs: /api/v1/docs; OpenAPI document: /api/v1/openapi.json.

    \b
    Example:
        verifier serve --index var/demo-index --host 127.0.0.1 --port 8000
        curl -s localhost:8000/api/v1/check -H 'Content-Type: application/json' \\
             -d '{"claim": "Over 1,000 Afghan troops fled into Tajikistan"}'
    """
    from waitress import create_server

    from . import create_app, server_errors

    settings = settings or Settings.load()
    # A missing, foreign or visibly damaged index (no manifest, a part missing or empty) fails now, not in a
    # log; the `verifier` command turns the error into one line (exit code 2 for a damaged index, else 1).
    Verifier.inspect(index_dir)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("web", "waitress"):
        logging.getLogger(name).setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.INFO)  # libraries that set their own loggers to DEBUG stay quiet
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = create_app({"INDEX": index_dir, "SETTINGS": settings, "LOAD": "later"})
    engine = app.extensions["verifier"]
    # SIGTERM stops the server as Ctrl-C does (waitress stops on KeyboardInterrupt, then atexit removes the
    # temporary batch folder); a load failure sends it too, as SIGINT may be ignored (`nohup`, `&` in a script).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    engine.on_failure = lambda error: _thread.interrupt_main(signal.SIGTERM)
    server = create_server(
        app, host=host, port=port, threads=settings.web_threads, ident="claim-verifier",
        # waitress refuses bodies over this itself, before buffering them; the app applies the exact limits.
        # What waitress refuses on its own (this, headers over max_header_bytes, bad framing) the app answers
        # in its own shape (web/server_errors.py).
        max_request_body_size=max(settings.max_body_bytes, settings.max_upload_bytes) + 65536,
        max_request_header_size=settings.max_header_bytes,
    )
    server_errors.install(server)
    url = f"http://{_display(host)}:{server.effective_port}/"
    click.echo(f"Loading the model and index from {index_dir}; serving on {url} (Ctrl+C stops)", err=True)
    try:
        engine.start(background=True)
        server.run()
    except KeyboardInterrupt:  # a load failure that came before waitress's own handler was in place
        pass
    finally:
        server.close()
        signal.signal(signal.SIGTERM, previous)
    if engine.error:
        failure = click.ClickException(f"could not load the index: {engine.error}")
        failure.exit_code = 2 if isinstance(engine.exception, IndexDamaged) else 1
        raise failure


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _display(host: str) -> str:
    return f"[{host}]" if ":" in host else host
