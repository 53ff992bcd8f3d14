"""Custom search attributes that make dossiers filterable in the Temporal UI: set by the
workflows, registered with the dev server, used by the console's links."""

from temporalio.common import SearchAttributeKey

DOSSIER_CODE = SearchAttributeKey.for_keyword("MotcuaDossierCode")
PROCEDURE = SearchAttributeKey.for_keyword("MotcuaProcedure")
AGENCY = SearchAttributeKey.for_keyword("MotcuaAgency")
STATUS = SearchAttributeKey.for_keyword("MotcuaStatus")
DUE_AT = SearchAttributeKey.for_datetime("MotcuaDueAt")

ALL = (DOSSIER_CODE, PROCEDURE, AGENCY, STATUS, DUE_AT)
