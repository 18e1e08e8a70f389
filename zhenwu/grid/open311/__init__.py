"""Open311 GeoReport v2 at /open311/v2/: the town's categories as services, incidents as service requests.

``formats`` (XML/JSON and the error list), ``params`` (reading parameters), ``documents`` (the spec's
documents from our models), ``selectors``, ``services`` (POST requests → ``incident_report``),
``clients`` (api_keys), ``views`` and ``urls``. See docs/grid.md, "Open311".
"""
