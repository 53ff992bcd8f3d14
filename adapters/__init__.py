"""Agency adapters: one Protocol per external system, the error taxonomy, plugins and their
per-agency configuration. The reference HTTP adapters live in :mod:`adapters.http`."""

from adapters._config import AdapterChoice, Adapters, AdaptersConfig, load_adapters_config
from adapters._plugins import (
    ENTRY_POINT_GROUP,
    KINDS,
    AdapterPlugin,
    Kind,
    UnknownAdapter,
    installed_plugins,
    plugin,
)
from adapters.consultation import Consultation
from adapters.delivery import ResultDelivery
from adapters.errors import AdapterError, Misconfigured, NotFound, Rejected, Transient
from adapters.notification import Notifier
from adapters.payment import PaymentPlatform
from adapters.population import PopulationData
from adapters.portal import PortalSync

__all__ = [
    "ENTRY_POINT_GROUP",
    "KINDS",
    "AdapterChoice",
    "AdapterError",
    "AdapterPlugin",
    "Adapters",
    "AdaptersConfig",
    "Consultation",
    "Kind",
    "Misconfigured",
    "NotFound",
    "Notifier",
    "PaymentPlatform",
    "PopulationData",
    "PortalSync",
    "Rejected",
    "ResultDelivery",
    "Transient",
    "UnknownAdapter",
    "installed_plugins",
    "load_adapters_config",
    "plugin",
]
