"""The signed-in mix scripts/load.py runs with locust: every role at its usual pace, CSRF included.

Each simulated person takes a signed-in session prepared by scripts/load.py (the file named by
LOAD_PEOPLE_FILE: role, session cookie and the rows that person works on) and does what that role does most:

- mentors: home, a relationship page, log a past session (the form posted with its CSRF token),
  the resources library;
- mentees: home, their survey (fetched, then answers saved with the form's own choices);
- coordinators: home, the monitoring page, decide (reject with a reason) a proposed match;
- programme staff: the impact dashboard, home.

The pace (LOAD_PACE) is a person's by default: 10-40 s reading a page before the next click, 30-90 s
writing a session log or answering a survey before it is sent, and each person's first click falls
somewhere in their first reading time (people do not all arrive in the same second). `stress`
clicks every 1-5 s and posts forms at once: about eight times the requests per person, to find
where the site saturates rather than how it behaves for a programme's people.

Requests are named by page, not by id, so the statistics group them per page.
"""

from __future__ import annotations

import json
import os
import random
import re
from itertools import cycle

import gevent
from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE_FILE"]).read())  # noqa: SIM115 - read once at start
POOLS = {role: cycle(random.sample(people, len(people))) for role, people in PEOPLE.items()}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')
PACES = {
    # (seconds reading a page, seconds writing a form before it is sent)
    "person": ((10, 40), (30, 90)),
    "stress": ((1, 5), (0, 0)),
}
READING, WRITING = PACES[os.environ.get("LOAD_PACE", "person")]


def form_token(html: str) -> str | None:
    found = CSRF_INPUT.search(html)
    return found.group(1) if found else None


class SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*READING)  # people read a page before the next click

    def on_start(self):
        self.person = next(POOLS[self.role])
        self.client.cookies.set("sessionid", self.person["cookie"])
        gevent.sleep(random.uniform(0, READING[1]))

    def writing(self):
        """The time a person takes to fill in a form before sending it."""
        if WRITING[1]:
            gevent.sleep(random.uniform(*WRITING))

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {name}")
            return response

    def post(self, path: str, data: dict, name: str, token: str | None):
        if token is None:
            return None
        data = {**data, "csrfmiddlewaretoken": token}
        headers = {"Referer": self.host + path}
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code} on {name}")
            return response


class Mentor(SignedIn):
    role = "mentor"
    weight = 5

    @task(3)
    def home(self):
        self.get("/home/", "home (mentor)")

    @task(2)
    def relationship(self):
        self.get(f"/relationships/{self.person['relationship']}/", "relationship page")

    @task(2)
    def log_session(self):
        path = f"/sessions/{self.person['session']}/log/"
        page = self.get(path, "session log form")
        form = {
            "held": "yes",
            "duration_minutes": "60",
            "format": "online",
            "topics": "options",
            "summary": "Talked through post-16 options and a first CV.",
            "next_time_notes": "Bring two course descriptions.",
            "worrying": "no",
        }
        self.writing()
        self.post(path, form, "session log save", form_token(page.text))

    @task(2)
    def resources(self):
        self.get("/resources/", "resources library")


class Mentee(SignedIn):
    role = "mentee"
    weight = 3

    @task(2)
    def home(self):
        self.get("/home/", "home (mentee)")

    @task(3)
    def survey(self):
        path = f"/surveys/{self.person['survey']}/"
        page = self.get(path, "survey form")
        answers: dict[str, str] = {}
        for radio in RADIO.findall(page.text):
            attributes = dict(ATTRIBUTE.findall(radio))
            if "name" in attributes and attributes["name"] not in answers:
                answers[attributes["name"]] = attributes.get("value", "")
        # Saved, not sent: the survey stays open for the next visit, as a person part-way through.
        self.writing()
        self.post(path, {**answers, "save": "1"}, "survey save", form_token(page.text))


class Coordinator(SignedIn):
    role = "coordinator"
    weight = 1

    @task(3)
    def home(self):
        self.get("/home/", "home (coordinator)")

    @task(1)
    def monitoring(self):
        self.get("/monitoring/", "monitoring")

    @task(2)
    def decide(self):
        proposals = self.person["proposals"]
        if not proposals:
            return
        proposal = proposals.pop()
        page = self.get("/home/", "home (coordinator)")
        self.writing()
        self.post(
            f"/matching/proposals/{proposal}/decide/",
            {
                "decision": "reject",
                "reason": "The mentee's school timetable clashes with the mentor's hours.",
            },
            "proposal decide",
            form_token(page.text) or self.client.cookies.get("csrftoken"),
        )


class Staff(SignedIn):
    role = "staff"
    weight = 1

    @task(2)
    def impact(self):
        self.get("/impact/", "impact dashboard")

    @task(1)
    def home(self):
        self.get("/home/", "home (staff)")
