"""The event-log export formats: a name light enough for the CLI's option types."""

from typing import Literal

ExportFormat = Literal["xes", "ocel"]
