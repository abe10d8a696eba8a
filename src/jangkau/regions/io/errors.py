"""Errors found in an input file, each with its row/feature number and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in an input file.

    ``row`` is the 1-based data row of a CSV (the header is row 0) or the 1-based feature
    number of a vector file; 0 means the file as a whole.
    """

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{field}: {self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


class InputFileError(Exception):
    """A file was rejected; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        summary = "; ".join(str(e) for e in self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"{len(self.errors)} problem(s): {summary}{more}")
