"""The simulators' names, the adapter kind each plays the backend of, and their default ports:
light enough for the CLI to build its ``motcua sim`` commands without loading the simulators."""

# simulator name → the adapter kind it plays the backend of
KIND_OF: dict[str, str] = {
    "population": "population",
    "payment": "payment",
    "edata": "delivery",
    "notify": "notification",
    "portal": "portal",
    "agency": "consultation",
}
DEFAULT_PORTS: dict[str, int] = {
    "population": 8101,
    "payment": 8102,
    "edata": 8103,
    "notify": 8104,
    "portal": 8105,
    "agency": 8106,
}
