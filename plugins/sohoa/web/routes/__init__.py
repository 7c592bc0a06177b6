"""One module per area of the app, each with a ``router`` (listed in ``app.ROUTE_MODULES``)."""
