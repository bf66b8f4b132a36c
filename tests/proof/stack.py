"""Private servers for the fault and load proofs: Redis, a PostgreSQL cluster, gunicorn and a
Celery worker, each a subprocess on its own loopback port.

The machine's shared PostgreSQL (5432) and Redis (6379) are never stopped: other test runs use
them. What a test stops and starts is always one of these private instances.
"""

from __future__ import annotations

import glob
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}\n{tail}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def stop_process(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def database_url(settings_dict: dict) -> str:
    """The URL of a Django database (e.g. the test database) for another process."""
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def django_env(**overrides: str) -> dict[str, str]:
    """The environment of a subprocess of this project: development settings without DEBUG,
    throttles high enough for many requests from one loopback address."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "LIAISON_THROTTLE_PUBLIC": "1000000/hour",
        "LIAISON_THROTTLE_TOKEN": "1000000/hour",
        "LIAISON_THROTTLE_TRACK": "1000000/hour",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ENV", None)
    env.update(overrides)
    return env


# --- Redis --------------------------------------------------------------------------------------
class PrivateRedis:
    """`redis-server` on a free loopback port, nothing persisted; stop() and start() at will."""

    def __init__(self, workdir: Path):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"redis-{self.port}.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no", "--dir", str(self.workdir)],
                stdout=out, stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, process=self.process, log=self.log)

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


# --- PostgreSQL ---------------------------------------------------------------------------------
def postgres_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")) and os.path.exists(os.path.join(candidate, "pg_ctl")):
            return Path(candidate)
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl) in a temporary directory on a free
    loopback port, trust authentication. As root the server runs as the `postgres` OS user."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="proof-pg-"))
        self.datadir = self.root / "data"
        self.log = self.root / "server.log"
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            os.chmod(self.root, 0o700)

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        program = self.bindir / args[0]
        command = [str(program) if program.exists() else args[0], *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self, **settings: str) -> None:
        """`settings`: more server settings (`-c name=value`), e.g. log_statement="all"."""
        # No unix socket in /var/run (another cluster's); fsync off: a throwaway cluster.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{self.root}' -c fsync=off"
        options += "".join(f" -c {name}={value}" for name, value in settings.items())
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def allow(self, hba_line: str) -> None:
        """Append a line to pg_hba.conf (before start, or followed by a reload)."""
        self._run("sh", "-c", f"echo '{hba_line}' >> '{self.datadir / 'pg_hba.conf'}'")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                           "-v", "ON_ERROR_STOP=1", "-Atc", sql)
        return result.stdout

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateReplica(PrivatePostgres):
    """A streaming replica of a `PrivatePostgres`: `pg_basebackup -R` of the running primary (a
    base backup plus standby.signal and primary_conninfo), started on a port of its own. The
    primary needs wal_level=replica (PostgreSQL's default) and a `replication` line in pg_hba.conf."""

    def __init__(self, primary: PrivatePostgres):
        super().__init__(primary.bindir)
        self.primary = primary

    def init(self) -> None:
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                  "-D", str(self.datadir), "-R", "-X", "stream", "-c", "fast", timeout=300)

    def wait_streaming(self, timeout: float = 60) -> None:
        """Until the primary lists this replica in pg_stat_replication as streaming."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.primary.psql("SELECT state FROM pg_stat_replication").split() == ["streaming"]:
                return
            time.sleep(0.2)
        raise TimeoutError(f"the replica is not streaming after {timeout}s\n{self.log.read_text(errors='replace')[-3000:]}")

    def wait_caught_up(self, timeout: float = 60) -> float:
        """Until everything the primary has written is replayed here; the seconds it took."""
        target = self.primary.psql("SELECT pg_current_wal_lsn()").strip()
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn").strip() == "t":
                return time.monotonic() - started
            time.sleep(0.01)
        raise TimeoutError(f"the replica did not replay {target} within {timeout}s")


# --- PgBouncer ------------------------------------------------------------------------------------
def pgbouncer_binary() -> str | None:
    return shutil.which("pgbouncer") or next((path for path in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")
                                              if os.access(path, os.X_OK)), None)


class PgBouncer:
    """PgBouncer in transaction pooling mode on a free loopback port, in front of a PostgreSQL
    server (trust authentication, every database). A small pool (`pool_size` server connections)
    makes clients share server connections as they do under load. As root it runs as `postgres`
    (PgBouncer refuses to run as root)."""

    def __init__(self, *, server_host: str = "127.0.0.1", server_port: int = 5432, pool_size: int = 2):
        self.binary = pgbouncer_binary()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="proof-pgbouncer-"))
        self.log = self.root / "pgbouncer.log"
        self.process: subprocess.Popen | None = None
        (self.root / "userlist.txt").write_text('"postgres" ""\n')
        (self.root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={server_host} port={server_port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.root / 'userlist.txt'}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 200\n"
            f"logfile = {self.log}\n"
        )
        if os.geteuid() == 0:
            for path in (self.root, *self.root.iterdir()):
                shutil.chown(path, "postgres", "postgres")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        command = [self.binary, str(self.root / "pgbouncer.ini")]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for_port(self.port, process=self.process, log=self.log)

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.root, ignore_errors=True)


# --- the application's processes -----------------------------------------------------------------
class Gunicorn:
    """The WSGI app under gunicorn (sync workers) on a free port."""

    def __init__(self, env: dict[str, str], workdir: Path, *, workers: int = 2, threads: int = 1):
        self.env = env
        self.port = free_port()
        self.log = workdir / f"gunicorn-{self.port}.log"
        self.workers = workers
        self.threads = threads
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "60",
                 "--graceful-timeout", "5", "--access-logfile", "-"],
                cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, process=self.process, log=self.log, timeout=60)

    def stop(self) -> None:
        stop_process(self.process)


#: every queue of the project (settings.LIAISON_CELERY_QUEUES), as `make run`'s worker consumes them
ALL_QUEUES = "celery,reminders,notifications,statistics,exports,imports"


class CeleryWorker:
    """`celery -A config worker` (solo pool: the task runs in this very process, so SIGKILL
    kills it mid-task). `redeliver_after`: seconds after which Redis hands a task whose worker
    died unacknowledged to another worker (kombu's visibility_timeout; production keeps the
    default of an hour, and the hourly beat sweep covers the gap as well)."""

    def __init__(self, env: dict[str, str], workdir: Path, *, name: str, redeliver_after: int | None = None,
                 queues: str = ALL_QUEUES):
        self.env = env
        self.log = workdir / f"worker-{name}.log"
        self.name = name
        self.redeliver_after = redeliver_after
        self.queues = queues
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        argv = ["worker", "--pool=solo", "--loglevel=INFO", "-n", f"{self.name}@proof", "-Q", self.queues,
                "--without-gossip", "--without-mingle", "--without-heartbeat"]
        options = None
        if self.redeliver_after is not None:
            options = {"visibility_timeout": self.redeliver_after, "unacked_restore_interval": 1,
                       "unacked_restore_throttle": 1}
        code = (
            "from config.celery import app\n"
            f"options = {options!r}\n"
            "if options:\n"
            "    app.conf.broker_transport_options = options\n"
            f"app.worker_main({argv!r})\n"
        )
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-c", code], cwd=BASE_DIR, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}\n{self.tail()}")
            if " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready after {timeout}s\n{self.tail()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects: every answer is seen as
    it was sent. `csrf()` is the token Django set in the cookie."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, method: str, path: str, *, data: dict | bytes | None = None, headers: dict | None = None,
                timeout: float = 30):
        """(status, headers, body text) of one request; HTTP errors are answers too."""
        body = data
        headers = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if method != "GET":
            headers.setdefault("Referer", self.base_url + path)
            token = self.csrf()
            if token:
                headers.setdefault("X-CSRFToken", token)
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type."""
    boundary = "----proof" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
