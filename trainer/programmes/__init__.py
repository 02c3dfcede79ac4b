"""Training programmes, their modules, the division-wise calendar and its sessions.

`planning` proposes a calendar and finds clashes (plain Python); `calendar` applies it to the database and words
each clash; `services` creates and changes programmes and sessions; `routes` (/plan/) for planners; `public`
(/programmes/, /sessions/) and `ical` for everyone; `share` words a session's links; `signals` tells higher
features (YouTube) when sessions people can see have changed.
"""
