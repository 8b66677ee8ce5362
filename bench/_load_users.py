"""bench.load's locust user: one class whose weighted tasks are the mix's kinds.

Each task is a request of one kind, named by it, so locust's statistics come out
per kind.  Every POST carries an ``Idempotency-Key`` and is written down (key,
body, answer, time) in :data:`POSTS`, for the fault checks to retry and verify.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, task

from bench._load_setup import BATCH_SIZE, CENTRE_BATCH, COURIERS, MIX, Fixture
from countyhub.platform.demo.parcels import waybill_for


@dataclass
class Post:
    """One POST of the run and what became of it (status 0: no answer)."""

    kind: str
    key: str  # the API key: whom it was sent as
    path: str
    body: bytes
    idempotency_key: str
    at: float  # seconds since the start of the load
    status: int = 0
    answer: Any = None
    done: bool = False  # False: still in flight when the run ended


@dataclass
class Shared:
    fixture: Fixture = field(default_factory=Fixture)
    rng: random.Random = field(default_factory=lambda: random.Random(11))
    start: float = 0.0


POSTS: list[Post] = []
STATE = Shared()


def configure(fixture: Fixture, rate: float, users: int) -> None:
    """Set the fixture and pace each of ``users`` users at rate/users per second."""
    STATE.fixture, STATE.start = fixture, time.monotonic()
    POSTS.clear()
    Mix.wait_time = poisson_arrivals(rate / users)


def poisson_arrivals(rate: float) -> Any:
    """A user's wait between tasks such that its requests start as a Poisson
    process of ``rate`` per second (the sum of the users' is one of the whole
    rate): independent clients, as a county's depots, points and villagers are.

    Locust's ``constant_throughput`` starts each user's requests exactly a period
    apart; after any pause (a worker's first requests, say) every user is due at
    once, and the users stay in step for the rest of the run, all sending within
    a fraction of each second: a burst a second, not a rate.  Here each user keeps
    a schedule of exponential gaps (its own seeded generator); a late answer
    shortens the next wait, and a schedule more than a second behind starts
    afresh rather than sending its backlog at once.
    """

    def wait(user: Any) -> float:
        now = time.monotonic()
        schedule = user.__dict__.setdefault(
            "_arrivals", [now, random.Random(STATE.rng.random())]
        )
        due = max(schedule[0], now - 1.0) + schedule[1].expovariate(rate)
        schedule[0] = due
        return max(0.0, due - now)

    return wait


class Mix(FastHttpUser):
    """A depot, the centre, a point, a villager or an analyst, per task."""

    wait_time = poisson_arrivals(1)
    next_page: str | None = None
    pages = 0

    def _post(self, kind: str, label: str, path: str, payload: object) -> Post:
        key = STATE.fixture.keys[label]
        post = Post(
            kind,
            key,
            path,
            json.dumps(payload).encode(),
            uuid.uuid4().hex,
            time.monotonic() - STATE.start,
        )
        POSTS.append(post)
        headers = {
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "Idempotency-Key": post.idempotency_key,
        }
        with self.client.post(
            path,
            data=post.body.decode(),  # ASCII (json.dumps): the same bytes
            headers=headers,
            name=kind,
            catch_response=True,
        ) as response:
            post.status, post.done = response.status_code or 0, True
            if 200 <= post.status < 300:
                post.answer = response.json()
                response.success()
            else:
                response.failure(f"HTTP {post.status}")
        return post

    def _item(self) -> tuple[str, dict[str, object]]:
        courier = STATE.rng.choice(COURIERS)
        return courier, {
            "waybill": waybill_for(courier, STATE.rng),
            "courier": courier,
            "address": STATE.rng.choice(STATE.fixture.addresses),
            "recipient_name": "王五",
            "recipient_phone": "13812345678",
            "weight_kg": 1.2,
        }

    @task(MIX["register"])
    def register(self) -> None:
        courier, item = self._item()
        post = self._post("register", f"clerk:{courier}", "/api/v1/parcels", item)
        if post.answer is not None:  # tracked from now on
            STATE.fixture.waybills.append(str(item["waybill"]))

    @task(MIX["register batch"])
    def register_batch(self) -> None:
        courier = STATE.rng.choice(COURIERS)
        items = []
        for _ in range(BATCH_SIZE):
            item = self._item()[1]
            item["courier"] = courier
            item["waybill"] = waybill_for(courier, STATE.rng)
            items.append(item)
        self._post(
            "register batch",
            f"clerk:{courier}",
            "/api/v1/parcels/batch",
            {"items": items},
        )

    @task(MIX["centre scan"])
    def centre_scan(self) -> None:
        pool = STATE.fixture.centre
        if len(pool) < CENTRE_BATCH:
            return self.track()
        items = [
            {"waybill": waybill, "courier": courier, "to": "received"}
            for courier, waybill in (pool.pop() for _ in range(CENTRE_BATCH))
        ]
        self._post("centre scan", "centre", "/api/v1/scans", {"items": items})
        return None

    @task(MIX["point hand-over"])
    def point_handover(self) -> None:
        points = [p for p, waiting in STATE.fixture.points.items() if waiting]
        if not points:
            return self.track()
        point = STATE.rng.choice(points)
        courier, waybill, code = STATE.fixture.points[point].pop()
        item = {
            "waybill": waybill,
            "courier": courier,
            "to": "delivered",
            "pickup_code": code,
            "consent": "picked_up",
        }
        self._post(
            "point hand-over", f"point:{point}", "/api/v1/scans", {"items": [item]}
        )
        return None

    @task(MIX["track"])
    def track(self) -> None:
        waybill = STATE.rng.choice(STATE.fixture.waybills)
        with self.client.get(
            f"/api/v1/track/{waybill}", name="track", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(MIX["analyst list"])
    def analyst_list(self) -> None:
        if self.next_page is None or self.pages >= 20:
            self.next_page, self.pages = "/api/v1/parcels?limit=50", 0
        headers = {"Authorization": f"Bearer {STATE.fixture.keys['analyst']}"}
        with self.client.get(
            self.next_page, headers=headers, name="analyst list", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            following = response.json().get("next")
        if following:
            parts = urlsplit(following)
            self.next_page = f"{parts.path}?{parts.query}"
            self.pages += 1
        else:
            self.next_page = None
