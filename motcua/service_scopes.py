"""The scopes a service's token may carry: a name light enough for the CLI's help texts."""

SERVICE_SCOPES = ("portal", "population", "consultation")
