"""Files made in the background for one user: Annex A, chronology PDFs, subject access packs (docs/background.md).

Generic on purpose: higher apps register their kinds of file (kinds.py) from their AppConfig.ready; this app
imports none of them.
"""
