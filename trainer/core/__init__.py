"""What every feature uses, below all of them (it imports no feature).

`clock` (the one clock and Asia/Kolkata), `bounds` (the database's integers), `urls` (ids and codes from paths
and query strings, safe `next`), `roles` and `auth` (who may use what), `i18n` (Hindi first, Indian numbers,
`pick`, `Bilingual`), `tables` (CSV and XLSX), `pdf` (Hindi PDFs), `downloads`, `files` (uploads checked and
applied whole), `api` (the /api/v1 blueprint and its JSON errors), `ordering`, `forms`, `errors`, `security`,
`database`.
"""
