"""Every route in the app's URL map with sample arguments, for tests that walk them all."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Rule

SAMPLE_ARGUMENTS = {
    "integer": 1,
    "float": 1.0,
    "path": "sample/path",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} ({self.endpoint})"


def _url_for(app, rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.lower().replace("converter", "")
        values[name] = SAMPLE_ARGUMENTS.get(converter, "sample")
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, values, force_external=False)


def all_routes(app) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            url = _url_for(app, rule)
            if rule.endpoint == "static":
                url = "/static/css/academy.css"
            routes.append(Route(rule.endpoint, method, url))
    return routes
