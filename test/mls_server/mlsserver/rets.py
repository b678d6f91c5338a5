"""RETS 1.7.2 (placeholder until the RETS module lands)."""

from .httpcore import Response


class RetsApi:
    def __init__(self, catalog):
        self.catalog = catalog

    def handle(self, request, mls, rest):
        return Response(404, b"RETS not yet available\n")
