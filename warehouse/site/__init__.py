"""What the Datasette pages show people, in plain Python (the plugins in datasette/plugins
call these): names for codes, an alert and a case as pages, the methodology, the feed.

Not part of a build's code fingerprint (``warehouse/stamps.py`` hashes ``warehouse/*.py``
only): changing a page does not rebuild the warehouse."""
