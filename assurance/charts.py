"""Plotly figures shared by the pages and the board pack (accessible Okabe-Ito colours)."""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", None: "#7F7F7F"}


def trend_chart(periods: list[str], values: list[float | None], title: str, unit: str,
                target: float | None = None, rags: list[str | None] | None = None) -> go.Figure:
    """A measure over time: line with RAG-coloured points and the target as a dashed line."""
    colours = [RAG_COLOURS.get(r, RAG_COLOURS[None]) for r in (rags or [None] * len(values))]
    fig = go.Figure(go.Scatter(
        x=periods, y=values, mode="lines+markers", name=title, line={"color": OKABE_ITO[0], "width": 2},
        marker={"color": colours, "size": 10, "line": {"color": "white", "width": 1}},
        hovertemplate="%{x}: %{y:,.1f}" + (" %" if unit == "%" else "") + "<extra></extra>",
    ))
    if target is not None:
        fig.add_hline(y=target, line={"dash": "dash", "color": "#4C6272"}, annotation_text=f"target {target:g}",
                      annotation_position="top left")
    fig.update_layout(
        title={"text": title, "font": {"size": 15}}, template="plotly_white", showlegend=False,
        margin={"l": 50, "r": 20, "t": 50, "b": 40}, yaxis_title=unit if unit != "count" else "number",
        font={"family": "Arial, sans-serif", "size": 12},
    )
    return fig


def describe_trend(periods: list[str], values: list[float | None], unit: str) -> str:
    """One sentence on what a trend chart shows."""
    points = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not points:
        return "No figures yet."
    suffix = "%" if unit == "%" else ""
    (p0, v0), (p1, v1) = points[0], points[-1]
    if len(points) == 1:
        return f"{p1}: {v1:,.1f}{suffix}."
    direction = "up" if v1 > v0 else "down" if v1 < v0 else "unchanged"
    hi = max(points, key=lambda x: x[1])
    return (f"From {v0:,.1f}{suffix} in {p0} to {v1:,.1f}{suffix} in {p1} ({direction}); "
            f"highest {hi[1]:,.1f}{suffix} in {hi[0]}.")
