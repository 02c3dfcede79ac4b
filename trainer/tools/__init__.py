"""Tools that touch every feature and sit apart from the request path: the portable archive
(`flask export` / `flask import`) and the demo state (`flask demo`, also used by the benchmarks)."""
