"""Agency adapters: one Protocol per external system and an in-process reference simulator."""

from dataclasses import dataclass, field

from adapters.delivery import ResultDelivery, SimulatedDelivery
from adapters.errors import AdapterError, Misconfigured, NotFound, Rejected, Transient
from adapters.notification import Notifier, SimulatedNotifier
from adapters.payment import PaymentPlatform, SimulatedPayments
from adapters.population import PopulationData, SimulatedPopulation


@dataclass
class Adapters:
    """The adapters a worker runs with; defaults are the reference simulators."""

    population: PopulationData = field(default_factory=SimulatedPopulation)
    payment: PaymentPlatform = field(default_factory=SimulatedPayments)
    delivery: ResultDelivery = field(default_factory=SimulatedDelivery)
    notifier: Notifier = field(default_factory=SimulatedNotifier)


__all__ = [
    "AdapterError",
    "Adapters",
    "Misconfigured",
    "NotFound",
    "Notifier",
    "PaymentPlatform",
    "PopulationData",
    "Rejected",
    "ResultDelivery",
    "SimulatedDelivery",
    "SimulatedNotifier",
    "SimulatedPayments",
    "SimulatedPopulation",
    "Transient",
]
