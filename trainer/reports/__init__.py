"""Reports: session and programme coverage, feedback summaries, the director's dashboard, exports."""
