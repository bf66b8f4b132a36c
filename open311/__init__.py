"""Open311 GeoReport v2 at `/open311/v2/`: categories are services, a request is a voter's
opinion (same privacy, throttling and tracking code: `service_request_id` is the code).

A layer above `suggestions` (it only calls its services and reads its selectors).
"""
