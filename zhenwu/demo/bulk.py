"""The demo's fast bulk insert lives in the kernel (``casework.bulk_insert``), which writes demo cases too."""

from zhenwu.casework.bulk_insert import explicit_timestamps, insert

__all__ = ["explicit_timestamps", "insert"]
