"""SSML in: ``Content-Type: application/ssml+xml`` on the submit routes becomes the same job its
JSON would (reading.py reads the document safely, elements.py and turns.py map it onto turns,
voices.py onto roles, values.py the attributes; jobs.py the request, route.py the routes)."""
