"""`minutes serve OUT`: a browsable archive of the tables in Datasette, over the SQLite export (server.py), with
metadata generated from the schema (metadata.py) and links from each row to its document's review page
(review_plugin.py)."""
