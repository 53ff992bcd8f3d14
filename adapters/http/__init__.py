"""Reference HTTP adapters: one module per protocol, speaking its documented wire format.

:class:`HttpBackend` and :class:`HttpOptions` are the shared client an integrator's own HTTP
adapter should build on: explicit timeouts, a bearer token from the environment, and HTTP
failures mapped onto the adapter error taxonomy.
"""

from adapters.http._client import HttpBackend, HttpOptions

__all__ = ["HttpBackend", "HttpOptions"]
