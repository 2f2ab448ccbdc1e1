"""Matplotlib Figure builders shared by the UI and the exports (no pyplot, no Qt).

Each builder takes plain data or domain results and returns a ``Figure``; with
``target`` (a figure or subfigure) it draws into a part of a larger page instead.
:mod:`.style` holds the palette (light and dark), fonts and number formats. Charts:
:mod:`.gantt`, :mod:`.coverage`, :mod:`.cashflow` (payback marked),
:mod:`.cost_breakdown`, :mod:`.overhead` (per wave over time; sidecar vs ambient),
:mod:`.tornado`, :mod:`.montecarlo`, :mod:`.findings` and :mod:`.kpis` (KPI tiles and
small tables for a report cover). Artists that viewers and tests look up carry a gid.
"""
