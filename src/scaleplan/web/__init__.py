"""The web dashboard (``scaleplan serve``): FastAPI, server-rendered pages, JSON twins."""

from scaleplan.web.app import create_app

__all__ = ["create_app"]
