"""The shared importing framework: declare an importer once, get files checked and written.

An importer is an :class:`ImportSpec` registered with :func:`register`. :func:`run_import` reads
a CSV, GeoJSON, GeoPackage or Parquet file streaming, cleans every value by its
:class:`Column`, locates points in villages, checks every row, and only when the whole file is
clean writes it in one transaction; otherwise it raises ``InputFileError`` listing every problem
by row and column. The same rules serve ``jangkau import``, the upload page and the API's create
endpoints. See ``docs/importing.md``.
"""

from jangkau.core.importing.context import ImportContext
from jangkau.core.importing.locate import TOLERANCE_DEG, VillageLocator
from jangkau.core.importing.runner import (
    BATCH_SIZE,
    MAX_ERRORS,
    ImportRejected,
    check_file,
    check_rows,
    import_rows,
    run_import,
)
from jangkau.core.importing.sources import SUFFIXES
from jangkau.core.importing.spec import (
    COLUMN_TYPES,
    REGISTRY,
    Column,
    ImportResult,
    ImportSpec,
    WriteStats,
    get_spec,
    register,
)
from jangkau.core.importing.templates import column_docs, template_columns, template_csv
from jangkau.regions.io.errors import InputFileError, RowError

__all__ = [
    "BATCH_SIZE",
    "COLUMN_TYPES",
    "MAX_ERRORS",
    "REGISTRY",
    "SUFFIXES",
    "TOLERANCE_DEG",
    "Column",
    "ImportContext",
    "ImportRejected",
    "ImportResult",
    "ImportSpec",
    "InputFileError",
    "RowError",
    "VillageLocator",
    "WriteStats",
    "check_file",
    "check_rows",
    "column_docs",
    "get_spec",
    "import_rows",
    "register",
    "run_import",
    "template_columns",
    "template_csv",
]
