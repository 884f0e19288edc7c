"""The import specs, by kind."""

from __future__ import annotations

from ..choices import ImportKind
from ..engine import ImportSpec
from .companies import CompanyImportSpec
from .estates import EstateImportSpec
from .users import UserImportSpec
from .work_orders import WorkOrderImportSpec

SPECS: dict[str, type[ImportSpec]] = {
    ImportKind.ESTATES: EstateImportSpec,
    ImportKind.COMPANIES: CompanyImportSpec,
    ImportKind.USERS: UserImportSpec,
    ImportKind.WORK_ORDERS: WorkOrderImportSpec,
}


def spec_class(kind: str) -> type[ImportSpec]:
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}") from None
