"""Real local HTTP servers the backend tests talk to (127.0.0.1 only, stdlib ``http.server``)."""
