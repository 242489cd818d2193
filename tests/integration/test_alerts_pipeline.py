"""The alert pipeline with a REAL Celery worker process (and its embedded beat), a real
broker (Redis when one answers, else kombu's filesystem transport, as the embedded mode
uses) and a database shared with the worker. Not eager mode: what is tested is what runs.

- raise -> the e-mail is delivered by the worker;
- an escalation step of a few seconds fires on time (beat -> sweep -> dispatch);
- the worker is killed (SIGKILL) in the middle of sending; once restarted, the notification
  is delivered exactly once, by e-mail and by Signal (a signal-cli REST API stand-in);
- a broker message deleted by hand (queue purged) is recovered by the sweep;
- a flood of 10,000 reminders on the default queue does not delay an urgent alert, which
  its own worker (the urgent queue) delivers while the flood still waits.

The database: on PostgreSQL, the test database itself (``transactional_db``); on SQLite the
default test database lives in memory, which another process cannot open, so this module
swaps the test process's connection to a temporary SQLite file (tables created from the
models) for its duration, and points the worker at the same file. Either way the tests are
transactional: rows are committed, as the worker must see them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 40

# transaction=True: what the test writes is committed, so the worker sees it.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(180),
    pytest.mark.django_db(transaction=True),
]


# --- broker ----------------------------------------------------------------------------------


def _redis_url() -> str | None:
    """CELERY_BROKER_URL if it is Redis, else a local Redis if one answers, else None
    (``HRDCASE_TEST_BROKER=filesystem`` forces the fallback)."""
    if os.environ.get("HRDCASE_TEST_BROKER") == "filesystem":
        return None
    configured = os.environ.get("CELERY_BROKER_URL", "")
    candidates = [configured] if configured.startswith("redis://") else []
    candidates.append("redis://127.0.0.1:6379/13")
    try:
        import redis
    except ImportError:
        return None
    for url in candidates:
        try:
            if redis.Redis.from_url(url, socket_connect_timeout=1).ping():
                return url
        except Exception:  # noqa: S112 (no Redis there: try the next one)
            continue
    return None


def _filesystem_options(root: Path) -> dict[str, str]:
    folders = {name: root / "broker" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }


@dataclass
class Pipeline:
    root: Path
    mail_dir: Path
    env: dict[str, str]
    queue: str
    broker_url: str
    urgent_queue: str
    workers: list[subprocess.Popen] = field(default_factory=list)
    output: list[str] = field(default_factory=list)

    # --- worker process ----------------------------------------------------------------------
    def start_worker(self, queue: str | None = None, *, beat: bool = True) -> subprocess.Popen:
        """A worker consuming ``queue``, by default both private queues (the default one and
        the urgent one), with its embedded beat unless ``beat`` is False."""
        queue = queue or f"{self.queue},{self.urgent_queue}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hrdcase",
                "worker",
                *(["-B"] if beat else []),
                "-Q",
                queue,
                "-c",
                "1",
                "-l",
                "info",
                "-n",
                f"{self.queue}-{len(self.workers)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: we kill exactly what we started
        )
        self.workers.append(process)
        lines: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(
            target=lambda: [lines.append(line) or self.output.append(line) for line in stream],
            daemon=True,
        ).start()
        wait_for(
            lambda: any(" ready." in line for line in lines) or process.poll() is not None,
            READY_TIMEOUT,
            "the Celery worker to be ready",
            self,
        )
        if process.poll() is not None:
            pytest.fail("the worker exited:\n" + "".join(lines))
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker, its pool child and its beat: no chance to clean up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                self.kill(process)
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)

    # --- what the worker wrote ---------------------------------------------------------------
    def mails(self) -> list:
        return [
            message_from_bytes(path.read_bytes()) for path in sorted(self.mail_dir.glob("*.eml"))
        ]

    def mails_to(self, address: str) -> list:
        return [m for m in self.mails() if address in m["To"]]


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, pipeline: Pipeline) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(
                f"timed out waiting for {what}; worker output:\n" + "".join(pipeline.output[-80:])
            )
        time.sleep(0.2)


# --- database shared with the worker -------------------------------------------------------


class _NoMigrations:
    def __contains__(self, item: str) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


@pytest.fixture(scope="module")
def shared_sqlite(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[str | None]:
    """On SQLite: the test process's default connection swapped to a file both processes
    open, for this module. Returns the worker's DATABASE_URL (None on PostgreSQL)."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.utils import load_backend
    from django.test.utils import override_settings

    with django_db_blocker.unblock():
        original = connections["default"]
        if original.vendor != "sqlite":
            yield None
            return
        path = tmp_path_factory.mktemp("alerts-db") / "shared.sqlite3"
        settings_dict = {**original.settings_dict, "NAME": str(path)}
        backend = load_backend(settings_dict["ENGINE"])
        connections["default"] = backend.DatabaseWrapper(settings_dict, "default")
        try:
            with override_settings(MIGRATION_MODULES=_NoMigrations()):
                call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
            yield f"sqlite:///{path}"
        finally:
            connections["default"].close()
            connections["default"] = original


@pytest.fixture
def database_url(shared_sqlite) -> str:
    """What the worker connects to: the shared SQLite file, or the PostgreSQL test database
    (the module's ``django_db(transaction=True)`` mark commits what the test writes)."""
    if shared_sqlite is not None:
        return shared_sqlite
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    credentials = f"{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}"
    location = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
    return f"postgres://{credentials}@{location}/{s['NAME']}"


@pytest.fixture
def pipeline(tmp_path, database_url, settings, monkeypatch) -> Iterator[Pipeline]:
    from hrdcase.celery import app

    queue = f"alerts-it-{uuid.uuid4().hex[:8]}"
    urgent_queue = f"{queue}-urgent"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    redis_url = _redis_url()
    broker_url = redis_url or "filesystem://"
    options = {"visibility_timeout": 3600} if redis_url else _filesystem_options(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.alerts.worker_settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "HRDCASE_VAR_DIR": str(tmp_path),
        "HRDCASE_TEST_MAIL_DIR": str(mail_dir),
        "HRDCASE_TEST_QUEUE": queue,
        "HRDCASE_TEST_URGENT_QUEUE": urgent_queue,
        "HRDCASE_TEST_SEND_DELAY": "30",
    }
    # Urgent deliveries on a private urgent queue (before app.conf below: overriding a Django
    # setting later would take the test process's Celery back to the test settings' broker).
    settings.ALERTS_URGENT_QUEUE = urgent_queue
    saved = {
        key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_routes")
    }
    app.conf.broker_url = broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (and the
    # test settings set it to memory://): without this, the test process published to memory
    # and only the worker's sweep, re-queueing, got anything delivered.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    app.conf.broker_transport_options = options
    app.conf.task_routes = {"alerts.tasks.*": {"queue": queue}}
    _reset_producers(app)
    settings.ALERTS_RENOTIFY_SECONDS = 3600
    # the workers' default cache (tests/alerts/worker_settings.py): one mark, seen by all
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "shared-cache"),
        },
    }
    run = Pipeline(tmp_path, mail_dir, env, queue, broker_url, urgent_queue)
    try:
        yield run
    finally:
        run.stop_all()
        _purge(app, queue)
        _purge(app, urgent_queue)
        app.conf.update(saved)
        _reset_producers(app)


def _reset_producers(app) -> None:
    app._pool = None
    for cached in ("router", "queues"):
        app.amqp.__dict__.pop(cached, None)
    app.amqp._producer_pool = None
    app.amqp.flush_routes()


def _with_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def _scheduling(pid: int) -> int:
    return os.sched_getscheduler(pid)


def _queued(app, queue: str) -> int:
    """How many messages wait in ``queue`` (Redis or the filesystem transport alike)."""
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count


def _purge(app, queue: str) -> int:
    with app.connection_for_write() as connection:
        try:
            return connection.default_channel.queue_purge(queue) or 0
        except Exception:  # the queue was never declared
            return 0


# --- the scenarios --------------------------------------------------------------------------


@pytest.fixture
def people(database_url):
    from accounts.models import Role
    from tests.factories import CaseFactory, OrganisationFactory, UserFactory

    org = OrganisationFactory()
    officer = UserFactory(organisation=org, role=Role.OFFICER)
    admin = UserFactory(organisation=org, role=Role.ADMIN)
    viewer = UserFactory(organisation=org, role=Role.VIEWER)
    case = CaseFactory(organisation=org, lead_officer=officer)
    return {"org": org, "officer": officer, "admin": admin, "viewer": viewer, "case": case}


def _raise(people, *, by="officer", message="Taken by police at the checkpoint."):
    from alerts.services.alerts import alert_raise

    return alert_raise(
        case=people["case"],
        kind="detained",
        severity="critical",
        message=message,
        acting_user=people[by],
    )


def _notification(alert, user):
    from alerts.models import Notification

    return Notification.objects.for_recipient(user).get(alert=alert, kind="alert")


def _sent(alert, user, pipeline: Pipeline):
    """The notification once the worker has marked it sent: it writes the e-mail first and
    the row a few milliseconds later, so an e-mail on disk is not yet a "sent" row."""
    wait_for(
        lambda: _notification(alert, user).status == "sent", 10, "the row marked sent", pipeline
    )
    return _notification(alert, user)


def test_it_delivers_a_raised_alert_through_the_worker(pipeline, people):
    pipeline.start_worker()
    started = time.monotonic()
    alert = _raise(people, message="Held at the 5th precinct.")
    admin = people["admin"]
    wait_for(lambda: pipeline.mails_to(admin.email), 20, "the alert e-mail", pipeline)
    elapsed = time.monotonic() - started
    (mail,) = pipeline.mails_to(admin.email)
    body = mail.get_payload(decode=True).decode()
    assert people["case"].pseudonym in mail["Subject"]
    assert f"/alerts/{alert.pk}/" in body
    assert "precinct" not in body + mail["Subject"]
    assert people["case"].defender.legal_name not in body
    assert _sent(alert, admin, pipeline).attempts == 1
    assert elapsed < 15


def test_an_escalation_step_of_seconds_fires_on_time(pipeline, people):
    from accounts.models import Role
    from alerts.models import EscalationStep
    from alerts.services.policy import policy_for

    policy = policy_for(people["org"])
    policy.steps.all().delete()
    EscalationStep.objects.create(
        organisation=people["org"], policy=policy, after_seconds=3, target="role", role=Role.VIEWER
    )
    pipeline.start_worker()
    alert = _raise(people)
    raised_at = time.monotonic()
    viewer = people["viewer"]
    wait_for(lambda: pipeline.mails_to(viewer.email), 20, "the escalation e-mail", pipeline)
    fired_after = time.monotonic() - raised_at
    # due after 3 s; the beat sweep runs every second here (every minute in production)
    assert 2.5 <= fired_after <= 10, fired_after
    (mail,) = pipeline.mails_to(viewer.email)
    assert "Unacknowledged" in mail["Subject"]
    alert.refresh_from_db()
    assert alert.escalation_step == 1


def test_a_worker_killed_mid_send_delivers_exactly_once_after_restart(pipeline, people):
    (pipeline.mail_dir / "slow").touch()  # the backend sleeps 30 s before writing
    worker = pipeline.start_worker()
    alert = _raise(people, by="admin")  # one recipient: the lead officer
    officer = people["officer"]
    wait_for(lambda: (pipeline.mail_dir / "sending").exists(), 20, "the send to start", pipeline)
    assert _notification(alert, officer).status == "sending"

    pipeline.kill(worker)  # kill -9 in the middle of the dispatch
    (pipeline.mail_dir / "slow").unlink()
    assert pipeline.mails_to(officer.email) == []

    pipeline.start_worker()
    # The dead worker's claim goes stale; the sweep releases and re-queues it.
    wait_for(lambda: pipeline.mails_to(officer.email), 30, "the e-mail after restart", pipeline)
    time.sleep(3)  # room for a duplicate to appear, if the claim failed
    assert len(pipeline.mails_to(officer.email)) == 1
    note = _notification(alert, officer)
    assert note.status == "sent" and note.attempts == 2


def test_a_worker_killed_mid_signal_send_delivers_exactly_once_after_restart(
    pipeline, people, settings
):
    """The same guarantee on a second channel: Signal, through a signal-cli REST API
    stand-in on loopback that holds the send until the worker is dead (then drops it, as
    the client went away before the server accepted it)."""
    from django.utils import timezone

    from alerts.models import ChannelDelivery, SignalNumber
    from tests.alerts.channel_servers import signal_server

    officer = people["officer"]
    with signal_server() as server:
        for name, value in (("URL", server.url), ("NUMBER", "+4915100000000")):
            setattr(settings, f"SIGNAL_{name}", value)
            pipeline.env[f"HRDCASE_SIGNAL_{name}"] = value
        SignalNumber.objects.create(
            user=officer, number="+573001234567", verified_at=timezone.now()
        )
        server.slow.set()
        worker = pipeline.start_worker()
        alert = _raise(people, by="admin")  # one recipient: the lead officer
        wait_for(server.holding.is_set, 20, "the Signal send to start", pipeline)
        delivery = ChannelDelivery.objects.unscoped().get(
            notification__alert=alert, channel="signal"
        )
        assert delivery.status == "sending"

        pipeline.kill(worker)  # kill -9 in the middle of the Signal send
        # The killed pool process may close its connection a moment after its group leader
        # is reaped: the stand-in lets the held send go only once the client has left (a
        # server does not accept a message from a connection that closed before it did).
        wait_for(server.client_left.is_set, 10, "the killed worker's connection to close", pipeline)
        server.slow.clear()
        assert server.accepted == []

        pipeline.start_worker()
        # The dead worker's claim goes stale; the sweep releases and re-queues it.
        wait_for(lambda: server.accepted, 30, "the Signal message after restart", pipeline)
        wait_for(lambda: pipeline.mails_to(officer.email), 20, "the e-mail", pipeline)
        time.sleep(3)  # room for a duplicate to appear, if the claim failed
        assert len(server.accepted) == 1
        assert server.accepted[0]["recipients"] == ["+573001234567"]
        assert "checkpoint" not in server.accepted[0]["message"]  # no free text
        assert len(pipeline.mails_to(officer.email)) == 1  # the other channel, once too
        assert server.rejected == ["client went away before the send was accepted"]
        delivery.refresh_from_db()
        assert delivery.status == "sent" and delivery.attempts == 2


def test_a_refused_recipient_holds_back_no_other_e_mail_of_the_batch(pipeline, people):
    from accounts.models import Role
    from tests.factories import UserFactory

    # Two recipients in one batch: the lead officer and another officer (the admin raises).
    other = UserFactory(organisation=people["org"], role=Role.OFFICER)
    (pipeline.mail_dir / "refuse").write_text(other.email)
    pipeline.start_worker()
    alert = _raise(people, by="admin")
    officer = people["officer"]
    wait_for(lambda: pipeline.mails_to(officer.email), 20, "the other e-mail", pipeline)
    wait_for(lambda: _notification(alert, other).last_error != "", 20, "the refusal", pipeline)
    assert pipeline.mails_to(other.email) == []

    (pipeline.mail_dir / "refuse").unlink()  # the server accepts the address again
    wait_for(lambda: pipeline.mails_to(other.email), 30, "the retried e-mail", pipeline)
    time.sleep(3)  # room for a duplicate to appear
    assert len(pipeline.mails_to(officer.email)) == 1
    assert len(pipeline.mails_to(other.email)) == 1
    assert _notification(alert, other).status == "sent"


def test_a_broker_message_deleted_by_hand_is_recovered_by_the_sweep(pipeline, people):
    from hrdcase.celery import app

    alert = _raise(people, by="admin")  # queued while no worker runs
    # the message is gone (an alert's: on the urgent queue)
    assert _purge(app, pipeline.queue) + _purge(app, pipeline.urgent_queue) >= 1
    officer = people["officer"]
    assert _notification(alert, officer).status == "pending"
    pipeline.start_worker()
    wait_for(lambda: pipeline.mails_to(officer.email), 30, "the recovered e-mail", pipeline)
    note = _sent(alert, officer, pipeline)
    assert note.queued_at > note.created_at + timedelta(seconds=1)  # queued again by the sweep


FLOOD = 10_000


def _flood(people, count: int):
    """``count`` pending reminders of a new member, one message each on the default queue."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role
    from alerts.models import Notification
    from alerts.services.notify import enqueue_dispatch
    from tests.factories import UserFactory

    busy = UserFactory(organisation=people["org"], role=Role.VIEWER)
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            organisation=people["org"],
            recipient=busy,
            kind="follow_up",
            subject=f"Follow-up due {n}",
            dedupe_key=f"flood:{n}",
            status=Notification.Status.PENDING,
            created_at=now,
            queued_at=now,
        )
        for n in range(count)
    )
    ids = Notification.objects.unscoped().filter(recipient=busy).values_list("pk", flat=True)
    with transaction.atomic():
        for pk in ids:
            enqueue_dispatch([pk])  # the default queue: a reminder is not urgent
    return busy


def test_a_flood_of_reminders_does_not_delay_an_urgent_alert(pipeline, people):
    """Two workers as deployed (docs/deploy.md): one on the default queue, one on the urgent
    queue. 10,000 reminders (one message each) are queued on the default queue first; an
    alert raised then is delivered by the urgent worker within seconds, while most of the
    flood still waits on the default queue behind the default worker."""
    from hrdcase.celery import app

    busy = _flood(people, FLOOD)
    assert _queued(app, pipeline.queue) == FLOOD

    # No beat: its sweep would queue the flood again (and there is no escalation to fire).
    default = pipeline.start_worker(pipeline.queue, beat=False)
    urgent = pipeline.start_worker(pipeline.urgent_queue, beat=False)
    wait_for(lambda: pipeline.mails_to(busy.email), 20, "the flood to be worked on", pipeline)
    # The default worker and its pool yield the CPU to the urgent one (hrdcase/celery.py).
    assert {_scheduling(pid) for pid in _with_children(default.pid)} == {os.SCHED_IDLE}
    assert {_scheduling(pid) for pid in _with_children(urgent.pid)} == {os.SCHED_OTHER}

    started = time.monotonic()
    alert = _raise(people, message="Held at the 5th precinct.")
    admin = people["admin"]
    wait_for(lambda: pipeline.mails_to(admin.email), 20, "the alert e-mail", pipeline)
    elapsed = time.monotonic() - started
    waiting = _queued(app, pipeline.queue)
    # Delivered while the default queue still holds most of the flood, in the time an alert
    # takes on an idle pipeline (test_it_delivers_a_raised_alert_through_the_worker).
    assert waiting > FLOOD // 2, waiting
    assert elapsed < 10, elapsed
    _sent(alert, admin, pipeline)


def test_the_default_worker_waits_while_urgent_work_is_in_flight(pipeline, people, settings):
    """The right of way (alerts.services.right_of_way): while an urgent dispatch is marked in
    flight, the default queue's worker sends nothing; once the mark lapses it goes on."""
    from alerts.services.right_of_way import urgent_work_started

    _flood(people, 2_000)
    pipeline.start_worker(pipeline.queue, beat=False)

    def sent() -> int:
        return len(list(pipeline.mail_dir.glob("*.eml")))

    wait_for(lambda: sent() > 0, 20, "the flood to be worked on", pipeline)
    settings.ALERTS_URGENT_HOLD_SECONDS = 6  # outlasts the checks below by far
    urgent_work_started()
    at_mark = sent()
    time.sleep(2.5)
    held = sent()
    # One worker process (-c 1), one e-mail per reminder: at most the send already past its
    # check when the mark came lands after it, however slow the machine is.
    assert held <= at_mark + 1, "the default worker sent reminders during urgent work"
    assert held < 2_000
    wait_for(lambda: sent() > held, 20, "the flood to go on once the mark lapsed", pipeline)
