"""``motcua sim NAME``: serve one agency-system simulator over HTTP; ``motcua sim all``: all six;
``motcua sim idp``: the identity provider the API's sign-in trusts in development."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from motcua.simulator_ports import DEFAULT_PORTS, KIND_OF

if TYPE_CHECKING:
    from motcua.simulators import Knobs

# The simulators (FastAPI apps) and uvicorn are imported by the commands that serve them: the
# command tree is built from their names and ports alone.

__all__ = ["sim_app"]

sim_app = typer.Typer(help="Serve a simulator of an agency system.", no_args_is_help=True)

# What each simulator plays, for --help.
PLAYS: dict[str, str] = {
    "population": "the National Population Database (citizens, verification)",
    "payment": "the portal's payment platform (fees, refunds)",
    "edata": "the citizen's e-data store, where results are delivered",
    "notify": "the notification gateway (SMS, e-mail, app push)",
    "portal": "the national public service portal's status sync",
    "agency": "another agency's system answering consultations",
}

Host = Annotated[str, typer.Option(help="Interface to listen on")]
Seed = Annotated[int, typer.Option(help="Seed of generated data and injected failures")]
Port = Annotated[int, typer.Option(help="Port (0: any free one)", min=0, max=65535)]


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as keyword arguments; a value is JSON when it parses, else a string."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="'--option'")
        try:
            options[key.strip()] = json.loads(raw)
        except ValueError:
            options[key.strip()] = raw  # URLs, names: plain strings need no JSON quotes
    return options


def _build(name: str, knobs: Knobs, seed: int, token: str | None, options: dict[str, Any]) -> Any:
    from motcua.simulators import create_simulator

    try:
        return create_simulator(name, knobs=knobs, seed=seed, token=token, **options)
    except ModuleNotFoundError as error:
        typer.echo(f"error: the {name} simulator is not available ({error})", err=True)
        raise typer.Exit(1) from None
    except ValidationError as error:
        raise typer.BadParameter(
            f"the {name} simulator refused them: {_problems(error)}", param_hint="'--option'"
        ) from None
    except (TypeError, ValueError) as error:
        raise typer.BadParameter(
            f"the {name} simulator refused them: {error}", param_hint="'--option'"
        ) from None


def _problems(error: ValidationError) -> str:
    def one(e: Any) -> str:
        key = ".".join(str(p) for p in e["loc"])
        return f"no option {key!r}" if e["type"] == "extra_forbidden" else f"{key}: {e['msg']}"

    return "; ".join(one(e) for e in error.errors())


def _listen(host: str, port: int) -> socket.socket:
    """Bind before serving, so a port in use is a clear error and port 0 shows the real one."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error}", err=True)
        raise typer.Exit(1) from None


def _command(name: str) -> Callable[..., None]:
    def serve(
        host: Host = "127.0.0.1",
        port: Port = DEFAULT_PORTS[name],
        seed: Seed = 0,
        latency_ms: Annotated[float, typer.Option(help="Delay every answer", min=0)] = 0,
        error_rate: Annotated[
            float, typer.Option(help="Share of requests answered 503", min=0, max=1)
        ] = 0,
        outage: Annotated[bool, typer.Option(help="Answer every request 503")] = False,
        token: Annotated[str | None, typer.Option(help="Require this bearer token")] = None,
        option: Annotated[
            list[str] | None, typer.Option(help="Simulator option KEY=VALUE (repeat)")
        ] = None,
    ) -> None:
        import uvicorn

        from motcua.simulators import Knobs

        knobs = Knobs(latency_ms=latency_ms, error_rate=error_rate, outage=outage)
        app = _build(name, knobs, seed, token, parse_options(option or []))
        sock = _listen(host, port)
        bound = sock.getsockname()[1]
        typer.echo(f"{name} simulator ({KIND_OF[name]}) serving on http://{host}:{bound} (Ctrl-C)")
        # No logging set-up of uvicorn's own: `motcua`'s redacting handler gets its records.
        config = uvicorn.Config(app, log_config=None, log_level=None, lifespan="off")
        uvicorn.Server(config).run(sockets=[sock])

    serve.__doc__ = f"Serve a simulator of {PLAYS[name]}."
    return serve


for _name in KIND_OF:
    sim_app.command(name=_name)(_command(_name))

IDP_PORT = 8107  # after the six agency simulators' 8101-8106


@sim_app.command(name="idp")
def serve_idp(
    host: Host = "127.0.0.1",
    port: Port = IDP_PORT,
    algorithm: Annotated[str, typer.Option(help="RS256 or ES256")] = "RS256",
) -> None:
    """Serve a simulated identity provider (OIDC discovery, JWKS, POST /token): development only.

    Point the API at it with MOTCUA_OIDC_ISSUER=http://HOST:PORT, then sign in with

    curl -H "Content-Type: application/json" http://HOST:PORT/token
    -d '{"kind": "citizen", "personal_id": "001203004512"}'
    """
    import uvicorn

    from motcua.simulators.idp import create_app

    try:
        app = create_app(algorithm=algorithm)
    except ValidationError as error:
        raise typer.BadParameter(_problems(error), param_hint="'--algorithm'") from None
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    typer.echo(f"identity provider simulator serving on http://{host}:{bound} (Ctrl-C)")
    typer.echo(f"  issuer: set MOTCUA_OIDC_ISSUER=http://{host}:{bound}")
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def _configured_base_port() -> int:
    """MOTCUA_SIMULATOR_BASE_PORT; the default ports when the settings cannot be read (the
    simulators stand in for other systems and need none of the engine's settings)."""
    from motcua.settings import get_settings

    try:
        return get_settings().simulator_base_port
    except ValidationError:
        return DEFAULT_PORTS["population"]


@sim_app.command(name="all")
def serve_all(
    host: Host = "127.0.0.1",
    seed: Seed = 0,
    base_port: Annotated[
        int | None,
        typer.Option(
            help="The simulators' ports from here on (0: free ones); default "
            "MOTCUA_SIMULATOR_BASE_PORT, as `motcua up` uses them",
            min=0,
            max=65529,
        ),
    ] = None,
) -> None:
    """Serve every simulator on consecutive ports until Ctrl-C."""
    from motcua.simulators import ports_from, serving_all

    base = _configured_base_port() if base_port is None else base_port
    try:
        with serving_all(host=host, ports=ports_from(base), seed=seed) as urls:
            for name, url in urls.items():
                typer.echo(f"{name:<10} ({KIND_OF[name]}) {url}")
            typer.echo("all simulators serving (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    except (ModuleNotFoundError, RuntimeError, TimeoutError) as error:
        typer.echo(f"error: cannot serve all simulators: {error}", err=True)
        raise typer.Exit(1) from None
