"""``python -m motcua.stack._simulators``: the six agency-system simulators and the identity
provider of ``motcua up``, in a process of their own, until SIGTERM or SIGINT.

The ports come from the supervisor, which checked or picked them; the payment platform confirms
payments to the API's signed callback, as a real one would, with the configured callback key.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from contextlib import ExitStack
from types import FrameType

from motcua.observability import configure_logging
from motcua.settings import get_settings
from motcua.simulators import serving, serving_all
from motcua.simulators.idp import create_app as create_idp
from motcua.stack._ports import IDP


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m motcua.stack._simulators")
    parser.add_argument("--ports", required=True, help='JSON: {"population": 8101, ...}')
    parser.add_argument("--callback-url", required=True, help="The API's payment callback")
    args = parser.parse_args(argv)
    ports: dict[str, int] = json.loads(args.ports)
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    callback = {"callback_url": args.callback_url, "callback_secret": settings.callback_key()}
    agencies = {name: port for name, port in ports.items() if name != IDP}
    with ExitStack() as stack:
        stack.enter_context(serving_all(ports=agencies, options={"payment": callback}))
        stack.enter_context(serving(create_idp(), port=ports[IDP]))
        print("simulators serving", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
