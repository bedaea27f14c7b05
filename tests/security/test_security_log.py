"""Security events are structured JSON lines with user input escaped."""

import json
import logging

from academy.security.events import JsonLineFormatter
from tests.helpers import login


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(JsonLineFormatter().format(record))


def capture():
    handler = Capture()
    logging.getLogger("academy.security").addHandler(handler)
    return handler


def test_failed_login_is_logged_with_the_input_escaped(client):
    handler = capture()
    try:
        login(client, 'evil@academy.example.com\n{"event": "login"}', "password guess one")
        login(client, "victim@academy.example.com", "password guess one")
    finally:
        logging.getLogger("academy.security").removeHandler(handler)
    assert all("\n" not in line for line in handler.lines)
    events = [json.loads(line) for line in handler.lines]
    failures = [e for e in events if e["event"] == "login_failed"]
    assert failures and failures[-1]["email"] == "victim@academy.example.com"
    assert "ip" in failures[-1] and "password" not in json.dumps(events)


def test_login_and_denied_access_are_logged(trainee_client, trainee):
    handler = capture()
    try:
        trainee_client.get("/admin/users")
    finally:
        logging.getLogger("academy.security").removeHandler(handler)
    events = [json.loads(line) for line in handler.lines]
    assert {"event": "access_denied", "user_id": trainee.id}.items() <= events[-1].items()
