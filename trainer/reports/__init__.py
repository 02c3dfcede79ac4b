"""Reports: session and programme coverage, feedback summaries, the director's dashboard.

`queries` is the one query layer (SQL aggregates, limited to the viewer's area); the pages (`routes`), the
files (`downloads`, made by `exports`), the JSON twins (`api`) and the sentences (`words`) all read it, and
`access` says who may see which report. Pages and files share the /reports/ blueprint (`blueprint`).
"""
