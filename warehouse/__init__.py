"""The DuckDB warehouse: schema, migrations, loads and every SQL string of the project."""

from __future__ import annotations

from warehouse.db import WarehouseError, connect, connect_read_only
from warehouse.publish import WarehouseBusy, WriteSession, writing

__all__ = ["WarehouseBusy", "WarehouseError", "WriteSession", "connect", "connect_read_only", "writing"]
