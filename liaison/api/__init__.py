"""The REST API, version 1 (`/api/v1/`): the router, authentication, accounts and the
shared pieces every app's `api.py` uses (permissions, errors, throttles, schema)."""
