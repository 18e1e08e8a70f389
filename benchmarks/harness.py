"""What every benchmark reports: a measured figure, a baseline measured in the same run, the ratio."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float | None
    target: str
    met: bool | None

    @property
    def ratio(self) -> str:
        if not self.baseline_value:
            return "-"
        return f"{self.value / self.baseline_value:.2f}×"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, name: str, value: float, unit: str, *, baseline_name: str = "",
            baseline_value: float | None = None, target: str = "", met: bool | None = None) -> None:
        r = Row(name, value, unit, baseline_name, baseline_value, target, met)
        self.rows.append(r)
        print(f"  {name}: {value:,.1f} {unit}   baseline {baseline_name or '-'}: "
              f"{'-' if baseline_value is None else f'{baseline_value:,.1f}'}   ratio {r.ratio}   "
              f"target {target or '-'}   {'' if met is None else ('MET' if met else 'MISSED')}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    def table(self) -> str:
        head = "| benchmark | measured | baseline | ratio | target | met |\n|---|---|---|---|---|---|"
        lines = [head]
        for r in self.rows:
            base = "-" if r.baseline_value is None else f"{r.baseline_name}: {r.baseline_value:,.1f} {r.unit}"
            met = "-" if r.met is None else ("yes" if r.met else "NO")
            lines.append(f"| {r.name} | {r.value:,.1f} {r.unit} | {base} | {r.ratio} | {r.target or '-'} | {met} |")
        return "\n".join(lines)


def timed(fn: Callable[[], object], *, repeat: int = 3) -> float:
    """Best wall time in seconds of `repeat` calls."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best
