"""Locust: a rush of voters after a session, while the staff and a unit work the workflow.

- voters (most users) submit opinions: through `POST /api/v1/public/opinions/` and through the
  web form (GET the form, POST it, read the tracking code on the done page); every tracking
  code they are given is kept and written to $LOAD_CODES_FILE at the end, to be compared with
  the database;
- staff take the submitted ones in (`accept`) and hand them to the unit (`assign`);
- the unit's officer signs for them (`sign`) and replies (`reply`).

Configured by loadtest/run.py through the environment: LOAD_CONFIG (the JSON prepare.py
printed: tokens, unit, townships) and LOAD_CODES_FILE. A 409 (someone else took that step
first) is the workflow doing its job, not a failure; any 5xx is.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, events, task

CONFIG = json.loads(os.environ.get("LOAD_CONFIG", "{}") or "{}")
CODES: list[str] = []
CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{12})\b")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.test_stop.add_listener
def write_codes(environment, **kwargs):
    path = os.environ.get("LOAD_CODES_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            out.write("\n".join(CODES) + ("\n" if CODES else ""))


def township() -> str:
    return random.choice(CONFIG["townships"])


class Voter(HttpUser):
    weight = 8
    wait_time = between(0.2, 1.0)

    @task(3)
    def opinion_by_api(self):
        body = {
            "title": random.choice(["路灯不亮", "道路坑洼", "垃圾清运不及时", "公交班次太少", "小区停车难"]),
            "content": "希望有关部门尽快解决，谢谢。",
            "region": township(),
            "submitter_name": "压测选民",
            "submitter_phone": f"139{random.randrange(10**8):08d}",
        }
        with self.client.post("/api/v1/public/opinions/", json=body, name="public/opinions/ (API)",
                              catch_response=True) as response:
            if response.status_code == 201:
                CODES.append(response.json()["code"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def opinion_by_web_form(self):
        path = f"/opinion/?region={township()}"
        form = self.client.get(path, name="opinion form (GET)")
        match = TOKEN.search(form.text or "")
        if form.status_code != 200 or not match:
            return
        with self.client.post(
            path, data={"csrfmiddlewaretoken": match.group(1), "title": "门前下水道堵塞", "content": "雨天积水严重。",
                        "submitter_phone": "13900001111"},
            headers={"Referer": self.host + path}, name="opinion form (POST)", allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            response.success()
        done = self.client.get(response.headers["Location"], name="opinion done page")
        found = CODE.search(done.text or "")
        if done.status_code == 200 and found:
            CODES.append(found.group(1))

    @task(1)
    def track(self):
        if CODES:
            self.client.get(f"/api/v1/public/track/{random.choice(CODES)}/", name="public/track/{code}/")


class _Worker(HttpUser):
    abstract = True
    token_key = ""

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {CONFIG[self.token_key]}"

    def act(self, path: str, body: dict, name: str):
        with self.client.post(path, json=body, name=name, catch_response=True) as response:
            if response.status_code in (200, 201):
                response.success()
                return response.json()
            if response.status_code == 409:  # another worker took this step first
                response.success()
                return None
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return None

    def first_ids(self, path: str, params: dict, name: str) -> list[int]:
        response = self.client.get(path, params={**params, "page_size": 10}, name=name)
        if response.status_code != 200:
            return []
        return [row["id"] for row in response.json()["results"]]


class Staff(_Worker):
    weight = 1
    wait_time = between(0.2, 0.8)
    token_key = "staff_token"

    @task(2)
    def accept(self):
        ids = self.first_ids("/api/v1/suggestions/", {"status": "submitted"}, "suggestions/?status=submitted")
        if ids:
            self.act(f"/api/v1/suggestions/{random.choice(ids)}/accept/", {"note": "受理"}, "suggestions/{id}/accept/")

    @task(2)
    def assign(self):
        ids = self.first_ids("/api/v1/suggestions/", {"status": "accepted"}, "suggestions/?status=accepted")
        if ids:
            self.act(f"/api/v1/suggestions/{random.choice(ids)}/assign/",
                     {"route": "district", "lead_unit": CONFIG["unit"], "requirements": "请按期答复"},
                     "suggestions/{id}/assign/")


class Officer(_Worker):
    weight = 1
    wait_time = between(0.2, 0.8)
    token_key = "officer_token"

    @task(2)
    def sign(self):
        ids = self.first_ids("/api/v1/assignments/", {"status": "pending"}, "assignments/?status=pending")
        if ids:
            self.act(f"/api/v1/assignments/{random.choice(ids)}/sign/", {}, "assignments/{id}/sign/")

    @task(2)
    def reply(self):
        ids = self.first_ids("/api/v1/assignments/", {"status": "signed"}, "assignments/?status=signed")
        if ids:
            self.act(f"/api/v1/assignments/{random.choice(ids)}/reply/", {"result": "A", "content": "已修复。"},
                     "assignments/{id}/reply/")
