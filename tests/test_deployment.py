"""The image and compose's production settings, proved without Docker (issue 12, findings 1
and 11): the Dockerfile's collectstatic line, run as it is written, gives static files that
production mode serves (a build without DJANGO_ENV=production answered 500 on every page:
"Missing staticfiles manifest entry"); docker-compose.prod.yml seeds no demo and needs a real
secret and production mode."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 540


def dockerfile_collectstatic() -> tuple[dict[str, str], list[str]]:
    """The Dockerfile's `RUN … collectstatic …` line: its variables and its command."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith("RUN ") and "collectstatic" in line]
    words = shlex.split(line[len("RUN "):])
    variables = {}
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        variables[name] = value
    if words[0] == "python":
        words[0] = sys.executable
    return variables, words


def bare_environment(var_dir: Path, **variables: str) -> dict[str, str]:
    """This process's environment without the project's settings, plus `variables`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "LIAISON_")) and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "LIAISON_VAR_DIR": str(var_dir), **variables}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


GET_PAGES = """
import re, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
home = client.get("/", secure=True)
print("home", home.status_code)
if home.status_code == 200:
    css = re.search(r'href="(/static/[^"]+[.][0-9a-f]{12}[.]css)"', home.content.decode())
    print("css", client.get(css.group(1), secure=True).status_code if css else "missing")
"""


@pytest.mark.slow  # collectstatic compresses every file as the image build does: minutes here
def test_the_images_collectstatic_makes_production_pages_work(tmp_path):
    production = bare_environment(
        tmp_path,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], production)
    before = run([sys.executable, "-c", GET_PAGES], production).stdout
    assert "home 500" in before  # what production answered before the image collected its files

    variables, command = dockerfile_collectstatic()
    assert command[1:3] == ["manage.py", "collectstatic"]
    run(command, bare_environment(tmp_path, **variables))

    after = run([sys.executable, "-c", GET_PAGES], production).stdout
    assert "home 200" in after and "css 200" in after, after


def compose(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_compose_production_seeds_no_demo_and_needs_a_secret_and_production_mode():
    base, production = compose("docker-compose.yml"), compose("docker-compose.prod.yml")
    assert "seed_demo" not in production["services"]["web"]["command"]
    for service in ("web", "worker", "worker-reports", "beat"):
        # `docker compose -f docker-compose.yml -f docker-compose.prod.yml`: the override's
        # variables replace the base's one by one.
        environment = {**base["services"][service]["environment"], **production["services"][service]["environment"]}
        assert environment["DJANGO_ENV"] == "production", service
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?"), service
        assert environment["DJANGO_ALLOWED_HOSTS"].startswith("${DJANGO_ALLOWED_HOSTS:?"), service
        assert environment.get("DJANGO_DEBUG", "0") in {"0", "false", "False"}, service


def test_compose_demo_is_development_mode_only():
    """The demo compose file seeds the demo city, so it must never be production mode."""
    web = compose("docker-compose.yml")["services"]["web"]
    assert "seed_demo" in web["command"]
    assert web["environment"]["DJANGO_ENV"] == "development"


def test_compose_workers_together_consume_every_queue_each_once():
    """Each queue group is a service of its own (scaled with `--scale worker=N`); together they
    take every queue tasks are routed to, and no queue is left without a worker."""
    from django.conf import settings

    services = compose("docker-compose.yml")["services"]
    consumed = []
    for service in services.values():
        command = service.get("command", "")
        if isinstance(command, str) and " worker " in command:
            consumed += command.split(" -Q ")[1].split()[0].split(",")
    assert sorted(consumed) == sorted(settings.LIAISON_CELERY_QUEUES)
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= set(consumed)
