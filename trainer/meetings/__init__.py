"""Review meetings: series, meetings, agenda, attendance, minutes, directives and action-taken reports."""
