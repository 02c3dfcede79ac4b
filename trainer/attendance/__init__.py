"""Attendance of gram panchayats at sessions.

`rules`: which sessions take attendance and when, which GPs a session or programme is meant for, the limits of
a head-count — everything that marks, checks or counts attendance asks here. `services`: marking, access codes,
session codes, finding GPs. `routes` (/a): the secretary's flow; `device`: the phone's remembered GP. Staff pages
under /attendance/ (`blueprint`): `officers` (sessions, checklist, upload, live) and `printables` (posters, the
live QR). `access_codes` (/access-codes/), `importer` (CSV), `posters`, `qr`, `tokens`, the CLIs.
"""
