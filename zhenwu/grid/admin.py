"""Admin of 一网治理 (the Open311 part lives in its own package)."""

from zhenwu.grid.open311 import admin as open311_admin  # noqa: F401 - registers the Open311 models
