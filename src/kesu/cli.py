"""The ``kesu`` command. Thin: parse arguments, set up Django, call one action or selector, print.

Every command has ``--help``; a wrong argument prints one line and exits with 2; a refused
operation (bad input, unknown user …) prints one line and exits with 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

EXIT_REFUSED = 1
EXIT_USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a wrong argument in one line instead of usage + error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="kesu", description="kesu (客诉): complaint management.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands.required = True

    serve = commands.add_parser("serve", help="serve the web UI and API (waitress) with the job consumer")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8, help="web server threads (default 8)")
    serve.add_argument("--no-worker", action="store_true", help="do not start the job consumer")
    serve.add_argument("--workers", type=int, default=0,
                       help="N gunicorn worker processes (PostgreSQL only; needs kesu[distributed]); default: waitress")

    worker = commands.add_parser("worker", help="run the job consumer (Huey) alone")
    worker.add_argument("--workers", type=int, default=2)
    worker.add_argument("--no-periodic", action="store_true",
                        help="do not schedule the periodic jobs (run exactly one consumer without this flag)")
    worker.add_argument("--quiet", action="store_true", help="log warnings and errors only (no INFO lines)")

    demo = commands.add_parser("demo", help="migrate, load a year of demo complaints, create users, serve")
    demo.add_argument("--complaints", type=int, default=20000, help="how many complaints (default 20000)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument("--no-serve", action="store_true", help="load the data and exit")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)

    commands.add_parser("migrate", help="create or upgrade the database tables")

    createuser = commands.add_parser("createuser", help="create a user with a role")
    createuser.add_argument("username")
    createuser.add_argument("--role", required=True, help="decision, manager, handler, specialist, analyst, admin")
    createuser.add_argument("--password", help="default: a generated one, printed once")
    createuser.add_argument("--name", default="", help="display name")
    createuser.add_argument("--email", default="")
    createuser.add_argument("--group", action="append", default=[], help="group code (repeatable)")

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", parser_class=OneLineParser)
    token_commands.required = True
    token_create = token_commands.add_parser("create", help="create an API token and print it")
    token_create.add_argument("username")
    token_create.add_argument("--name", default="", help="what the token is for")
    token_create.add_argument("--days", type=int, default=None,
                              help="days until it expires (default KESU_TOKEN_DAYS, 90; 0 = never)")
    token_create.add_argument("--read-only", action="store_true", help="the token may only read (GET)")
    token_revoke = token_commands.add_parser("revoke", help="revoke a user's API tokens")
    token_revoke.add_argument("username")
    token_revoke.add_argument("--prefix", default="", help="only the token starting with this (e.g. ks_AbCd)")

    data_import = commands.add_parser("import", help="import data from a file")
    import_what = data_import.add_subparsers(dest="what", metavar="WHAT", parser_class=OneLineParser)
    import_what.required = True
    import_complaints = import_what.add_parser("complaints", help="import complaints from CSV or XLSX")
    import_complaints.add_argument("file", type=Path)
    import_complaints.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
    import_complaints.add_argument("--as", dest="as_user", default="", help="record the import as this user")

    data_export = commands.add_parser("export", help="export data to a file")
    export_what = data_export.add_subparsers(dest="what", metavar="WHAT", parser_class=OneLineParser)
    export_what.required = True
    export_complaints = export_what.add_parser("complaints", help="export complaints to CSV or XLSX")
    export_complaints.add_argument("file", type=Path)
    export_complaints.add_argument("--status", default="", help="comma-separated statuses")
    export_complaints.add_argument("--channel", default="")
    export_complaints.add_argument("--category", default="")
    export_complaints.add_argument("--group", default="")
    export_complaints.add_argument("--from", dest="created_from", type=_date, help="created on or after (YYYY-MM-DD)")
    export_complaints.add_argument("--to", dest="created_to", type=_date, help="created before (YYYY-MM-DD)")
    export_complaints.add_argument("--as", dest="as_user", default="",
                                   help="export as this user: personal data masked as their role sees it (logged)")

    commands.add_parser("health", help="check the database and the job store")

    triage = commands.add_parser("triage", help="the triage engine: train, list, activate, evaluate models; backfill")
    triage_commands = triage.add_subparsers(dest="triage_command", metavar="ACTION", parser_class=OneLineParser)
    triage_commands.required = True
    train = triage_commands.add_parser(
        "train", help="category: train on confirmed categories (settings chosen by cross-validation), promoted if "
        "not worse; anger: train on a labelled file (--file) and use it if not worse than the rules"
    )
    train.add_argument("--target", choices=["category", "anger"], default="category")
    train.add_argument("--file", type=Path, help="anger: CSV with text and anger 0–3 (columns text, anger)")
    train.add_argument("--text-column", default=None)
    train.add_argument("--label-column", default=None)
    models = triage_commands.add_parser("models", help="list the model versions and their metrics")
    models.add_argument("--target", choices=["category", "anger"], default="category")
    activate = triage_commands.add_parser("activate", help="make a model version the active one (roll back)")
    activate.add_argument("version", help="a version number; for --target anger also 'rules' (the shipped rules)")
    activate.add_argument("--target", choices=["category", "anger"], default="category")
    evaluate = triage_commands.add_parser(
        "evaluate", help="measure triage on labelled files: the category model (trained on TRAIN, next to the plain "
        "baseline), the red channel or the anger temperature (as shipped, or trained on TRAIN)"
    )
    evaluate.add_argument("--train", type=Path, help="training file (required for category and emotion)")
    evaluate.add_argument("--test", required=True, type=Path)
    evaluate.add_argument("--target", choices=["category", "red_channel", "anger", "emotion"], default="category")
    evaluate.add_argument("--text-column", default=None, help="header of the text column (default: text)")
    evaluate.add_argument("--label-column", default=None,
                          help="header of the label column (default: label; red for red_channel, anger for anger)")
    evaluate.add_argument("--threshold", type=int, default=None,
                          help="anger: the senior-handler threshold (default: the centre's setting, 70)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    backfill = triage_commands.add_parser(
        "backfill", help="triage existing complaints again after a configuration or model change (an event only "
        "where the result changed)"
    )
    backfill.add_argument("--from", dest="created_from", type=_date, help="created on or after (YYYY-MM-DD)")
    backfill.add_argument("--only-open", action="store_true", help="only complaints not resolved or closed")

    from kesu.sla.commands import aware_datetime, working_minutes

    calendar = commands.add_parser("calendar", help="working calendars: import holidays, add and count working time")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", parser_class=OneLineParser)
    calendar_commands.required = True
    calendar_import = calendar_commands.add_parser(
        "import", help="import a year's holidays and make-up working days from the holidays package"
    )
    calendar_import.add_argument("--country", required=True, help="ISO country code, e.g. CN")
    calendar_import.add_argument("--year", required=True, type=int)
    calendar_add = calendar_commands.add_parser("add", help="print the instant N working minutes after --start")
    calendar_add.add_argument("--start", required=True, type=aware_datetime, help="e.g. 2026-09-30T16:00:00+08:00")
    calendar_add.add_argument("--working-minutes", required=True, type=working_minutes)
    calendar_between = calendar_commands.add_parser(
        "between", help="print the working minutes from --start to --end (decimals when not whole)"
    )
    calendar_between.add_argument("--start", required=True, type=aware_datetime)
    calendar_between.add_argument("--end", required=True, type=aware_datetime)
    for sub in (calendar_import, calendar_add, calendar_between):
        sub.add_argument("--calendar", default=None, help="calendar name (default: the default calendar)")

    channels = commands.add_parser("channels", help="the e-mail channel: poll the mailboxes, list failed intakes")
    channels_commands = channels.add_subparsers(dest="channels_command", metavar="ACTION", parser_class=OneLineParser)
    channels_commands.required = True
    channels_poll = channels_commands.add_parser("poll", help="fetch new mail from every enabled mailbox, once")
    channels_poll.add_argument("--mailbox", default="", help="only this mailbox (by name)")
    channels_failed = channels_commands.add_parser(
        "failed", help="list the messages that could not be taken in, with the reason"
    )
    channels_failed.add_argument("--limit", type=int, default=50, help="newest first (default 50)")
    for module in _command_modules():
        module.register(commands)
    return parser


# Apps that bring their own commands: each module has ``register(commands)`` (adds its subparsers;
# no Django import at module level) and ``COMMANDS`` (name -> handler(args) -> int), and is listed
# here once. A listed module that does not exist (an app not built yet) is skipped.
COMMAND_MODULES = (
    "kesu.analytics.commands",
    "kesu.incidents.commands",
    "kesu.workforce.commands",
    "kesu.privacy.commands",
    "kesu.customers.commands",
)


def _command_modules() -> list:
    import importlib
    import importlib.util

    found = []
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None or importlib.util.find_spec(name) is None:
            continue
        found.append(importlib.import_module(name))
    return found


def _date(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d")  # noqa: DTZ007 - made aware in the configured zone later
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from error


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"kesu: error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from kesu.config.environment import ConfigurationError

    try:
        _django_setup()
    except ConfigurationError as error:
        return _fail(str(error), EXIT_USAGE)
    from kesu.core.errors import DomainError

    handler = COMMANDS.get(args.command) or _plugin_commands()[args.command]
    try:
        return handler(args) or 0
    except DomainError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130


# --- commands -------------------------------------------------------------------------------


def _plugin_commands() -> dict:
    handlers: dict = {}
    for module in _command_modules():
        handlers.update(module.COMMANDS)
    return handlers


def cmd_migrate(args) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0


def _unapplied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


class ConsumerProcess:
    """The job consumer as a child process of `kesu serve`, restarted if it dies."""

    CHECK_EVERY = 5.0

    def __init__(self, *, quiet: bool = False) -> None:
        self.quiet = quiet
        self.process = self._start()
        self._stopping = threading.Event()
        threading.Thread(target=self._watch, name="consumer-watch", daemon=True).start()

    def _start(self) -> subprocess.Popen:
        # the worker dies with this process, even after kill -9 (kesu.privacy.lifeline)
        env = {**os.environ, "KESU_PARENT_PID": str(os.getpid())}
        return subprocess.Popen([sys.executable, "-m", "kesu", "worker", *(["--quiet"] if self.quiet else [])], env=env)

    def _watch(self) -> None:
        while not self._stopping.wait(self.CHECK_EVERY):
            code = self.process.poll()
            if code is not None and not self._stopping.is_set():
                print(f"kesu: the job consumer exited with code {code}; restarting it", file=sys.stderr, flush=True)
                self.process = self._start()

    def stop(self) -> None:
        self._stopping.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def cmd_serve(args) -> int:
    from django.conf import settings

    pending = _unapplied_migrations()
    if pending:
        return _fail(f"the database needs {len(pending)} migration(s); run `kesu migrate` first")
    workers = getattr(args, "workers", 0) or 0
    if workers < 0:
        return _fail("--workers must be 1 or more", EXIT_USAGE)
    if workers:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return _fail("--workers needs PostgreSQL (set DATABASE_URL); on SQLite kesu serves from one process")
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            return _fail('--workers needs gunicorn: pip install "kesu[distributed]"')
    from kesu.config.wsgi import application  # warms triage up (jieba, the model) before serving

    consumer = None if args.no_worker else ConsumerProcess(quiet=getattr(args, "quiet_worker", False))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    jobs = "Redis" if settings.HUEY["huey_class"] == "huey.RedisHuey" else "SQLite"
    server = f"gunicorn, {workers} workers × {args.threads} threads" if workers else "waitress"
    print(
        f"kesu serving http://{args.host}:{args.port}/ ({server}; database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"jobs: {jobs}{', consumer running' if consumer else ', no consumer'}); Ctrl+C stops",
        flush=True,
    )
    try:
        if workers:
            from kesu.config.gunicorn import gunicorn_run

            gunicorn_run(application, host=args.host, port=args.port, workers=workers, threads=args.threads)
        else:
            from waitress import serve

            serve(application, host=args.host, port=args.port, threads=args.threads, ident="kesu", _quiet=True)
    finally:
        if consumer is not None:
            consumer.stop()
    return 0


def cmd_worker(args) -> int:
    from django.core.management import call_command

    from kesu.privacy.lifeline import parent_lifeline
    from kesu.triage.warmup import triage_warm

    parent_lifeline()
    quiet = getattr(args, "quiet", False)
    if quiet:  # `kesu demo`: the logins and the address stay the last lines a newcomer sees
        logging.disable(logging.INFO)
    triage_warm()
    # exactly one consumer of a deployment schedules the periodic jobs; the others run --no-periodic
    call_command("run_huey", workers=args.workers, worker_type="thread",
                 periodic=not getattr(args, "no_periodic", False), **({"verbose": False} if quiet else {}))
    return 0


DEMO_TRAINING_ROWS = 2000  # the newest confirmed complaints the demo's category model learns from


def _demo_category_model() -> None:
    """Train and activate a category model on the demo's confirmed categories, so that a new
    complaint is categorised; nothing when a model is active already or there is too little data."""
    from kesu.core.clock import clock_now
    from kesu.core.errors import FieldError
    from kesu.triage.actions import model_train
    from kesu.triage.models import ModelKind, ModelVersion

    if ModelVersion.objects.filter(kind=ModelKind.CATEGORY, is_active=True).exists():
        return
    print("Training the category model on the demo's confirmed categories …", flush=True)
    try:
        report = model_train(now=clock_now(), newest=DEMO_TRAINING_ROWS)
    except FieldError as error:
        print(f"  not trained: {error}")
        return
    chosen = report.metrics.get("chosen") or {}
    print(f"  v{report.version}: macro-F1 {report.metrics['macro_f1']} on the newest {report.metrics['n_test']} "
          f"(settings {chosen.get('chosen')!r}){'' if report.promoted else ' — not promoted'}")


def _demo_hot_share() -> None:
    """How many complaints the emotion temperature sends to a senior handler: what a centre staffs."""
    from kesu.complaints.models import Complaint
    from kesu.triage.context import triage_settings

    threshold = triage_settings().emotion_threshold
    total = Complaint.objects.filter(merged_into__isnull=True).count()
    if total:
        hot = Complaint.objects.filter(merged_into__isnull=True, emotion__gte=threshold).count()
        print(f"Emotion temperature ≥ {threshold} (to a senior handler): {hot} of {total} complaints "
              f"({100 * hot / total:.1f} %)")


# Apps that add to the demo: each module has ``demo_populate(*, seed, complaints, now)``, which does
# nothing when its data is already there and prints its own progress; run in this order.
DEMO_MODULES = (
    "kesu.analytics.demo",
    "kesu.incidents.demo",
    "kesu.workforce.demo",
    "kesu.privacy.demo",
)


def _demo_app_steps(*, seed: int, complaints: int) -> None:
    import importlib
    import importlib.util

    from kesu.core.clock import clock_now

    for name in DEMO_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None or importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).demo_populate(seed=seed, complaints=complaints, now=clock_now())


def cmd_demo(args) -> int:
    from django.core.management import call_command

    from kesu.calls.demo import calls_demo_seed
    from kesu.compensation.demo import compensation_demo_proposals, compensation_demo_seed
    from kesu.complaints.models import Complaint
    from kesu.core.clock import clock_now
    from kesu.demo.generator import demo_generate, demo_users_ensure
    from kesu.demo.organisation import demo_routing_ensure, organisation_ensure
    from kesu.knowledge.demo import knowledge_demo_seed

    if args.complaints < 0:
        return _fail("--complaints must be 0 or more", EXIT_USAGE)
    call_command("migrate", interactive=False, verbosity=0)
    organisation_ensure()
    existing = Complaint.objects.count()
    if existing:
        print(f"The database already holds {existing} complaints; no demo data added.")
    else:
        print(f"Generating {args.complaints} demo complaints (seed {args.seed}) …", flush=True)
        summary = demo_generate(complaints=args.complaints, seed=args.seed, now=clock_now())
        print(f"  {summary}")
    demo_routing_ensure(now=clock_now())
    _demo_category_model()
    _demo_hot_share()
    logins = demo_users_ensure()
    # the workspace's reference data: solution articles, the compensation matrix, phone calls
    # (each does nothing when already there)
    knowledge_demo_seed(clock_now())
    compensation_demo_seed(clock_now())
    compensation_demo_proposals(clock_now())
    calls_demo_seed(clock_now())
    _demo_app_steps(seed=args.seed, complaints=args.complaints)
    print("\nLogins (role, username, password):")
    for username, password, role in logins:
        print(f"  {role:<11} {username:<12} {password}")
    if args.no_serve:
        return 0
    # the logins and the address are the last lines: no INFO lines below them (the triage warm-up's
    # here, the job consumer's in its own process); warnings and errors still show. (Not a logger's
    # level: serving sets Django's logging up again.)
    logging.disable(logging.INFO)
    args.threads, args.no_worker, args.quiet_worker = 8, False, True
    return cmd_serve(args)


def cmd_createuser(args) -> int:
    import secrets

    from kesu.core.actions import user_create
    from kesu.core.models import Group

    groups = []
    for code in args.group:
        group = Group.objects.filter(code=code).first()
        if group is None:
            return _fail(f"unknown group {code!r}")
        groups.append(group)
    password = args.password or secrets.token_urlsafe(12)
    user = user_create(
        username=args.username, role=args.role, password=password, display_name=args.name, email=args.email,
        groups=groups,
    )
    print(f"created {user.username} ({user.role})" + ("" if args.password else f"; password: {password}"))
    return 0


def cmd_token(args) -> int:
    from kesu.core.actions import token_create, token_revoke
    from kesu.core.clock import clock_now
    from kesu.core.models import User

    user = User.objects.filter(username=args.username).first()
    if user is None or (args.token_command == "create" and not user.is_active):
        return _fail(f"no active user {args.username!r}")
    if args.token_command == "revoke":
        count = token_revoke(user=user, now=clock_now(), prefix=args.prefix)
        print(f"revoked {count} token(s) of {user.username}")
        return 0 if count else EXIT_REFUSED
    print(token_create(user=user, now=clock_now(), name=args.name, days=args.days, read_only=args.read_only))
    return 0


def _user_or_none(username: str):
    from kesu.core.errors import FieldError
    from kesu.core.models import User

    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise FieldError("--as", "user.unknown", user=username)
    return user


def cmd_import(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.pipeline.importing import complaints_import

    if not args.file.exists():
        return _fail(f"{args.file}: no such file")
    report = complaints_import(path=args.file, by=_user_or_none(args.as_user), now=clock_now(), dry_run=args.dry_run)
    verb = "would import" if args.dry_run else "imported"
    mapped = ", ".join(f"{header} → {field}" for header, field in report.columns.items())
    print(f"columns: {mapped}")
    if report.ignored_columns:
        print(f"ignored columns: {', '.join(report.ignored_columns)}")
    print(f"{verb} {report.imported} rows; rejected {len(report.rejected)}")
    skipped = report.skipped + report.skipped_blank
    if skipped:
        why = [(report.skipped_earlier, "already imported by an earlier import"),
               (report.skipped_repeated, "repeat an earlier row of this file"),
               (report.skipped_blank, "blank")]
        print(f"skipped {skipped} rows: " + "; ".join(f"{n} {reason}" for n, reason in why if n))
    for row in report.rejected:
        print(f"  row {row.row}: {row.reason}")
    return 0 if report.imported or not report.rejected else EXIT_REFUSED


def cmd_export(args) -> int:
    from django.utils import timezone

    from kesu.complaints.exporting import complaints_export
    from kesu.complaints.selectors import ComplaintFilters

    def aware(value):
        return timezone.make_aware(value) if value else None

    filters = ComplaintFilters(
        status=args.status, channel=args.channel, category=args.category, group=args.group,
        created_from=aware(args.created_from), created_to=aware(args.created_to),
    )
    user = _user_or_none(args.as_user)
    mask = None
    if user is not None:
        from kesu.privacy.pages import export_mask_for

        mask = export_mask_for(user)
    rows = complaints_export(path=args.file, filters=filters, mask=mask)
    if user is not None:
        from kesu.core.clock import clock_now
        from kesu.privacy.actions import access_record

        access_record(user=user, action="export", now=clock_now(), object_type="complaints", channel="cli",
                      reason=str(args.file)[:200])
    print(f"exported {rows} complaints to {args.file}")
    return 0


def cmd_health(args) -> int:
    import json

    from kesu.core.clock import clock_now
    from kesu.core.health import health_report

    report = health_report(now=clock_now())
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["status"] == "ok" else EXIT_REFUSED


def cmd_triage(args) -> int:
    if args.triage_command == "evaluate":
        return _triage_evaluate(args)
    if args.triage_command == "train":
        return _triage_train(args)
    if args.triage_command == "activate":
        from kesu.triage.actions import model_activate

        if args.target == "anger" and args.version == "rules":
            model_activate(version=None, kind="anger")
            print("the anger temperature is the shipped rules again")
            return 0
        if not args.version.isdigit():
            return _fail(f"version: {args.version!r} is not a version number", EXIT_USAGE)
        version = model_activate(version=int(args.version), kind=args.target)
        print(f"v{version.version} is now the active {args.target} model")
        return 0
    if args.triage_command == "backfill":
        return _triage_backfill(args)
    return _triage_models(args)


def _triage_models(args) -> int:
    import json

    from kesu.triage.models import ModelVersion

    versions = list(ModelVersion.objects.filter(kind=args.target))
    if not versions:
        print("no category model trained yet (triage uses keyword rules); run `kesu triage train`"
              if args.target == "category" else "no anger model trained (the shipped rules are used)")
        return 0
    for v in versions:
        m = v.metrics
        if args.target == "anger":
            print(f"{'*' if v.is_active else ' '} v{v.version:<4} {v.trained_at:%Y-%m-%d %H:%M}  n_train {v.n_train:<7} "
                  f"cv ROC AUC {m.get('cv_roc_auc')}  rules {m.get('rules_roc_auc')}  "
                  f"chosen {(m.get('chosen') or {}).get('chosen')}")
            continue
        chosen = m.get("chosen") or {}
        print(f"{'*' if v.is_active else ' '} v{v.version:<4} {v.trained_at:%Y-%m-%d %H:%M}  n_train {v.n_train:<7} "
              f"macro-F1 {m.get('macro_f1')}  baseline {m.get('baseline_macro_f1')}  accuracy {m.get('accuracy')}  "
              f"settings {chosen.get('chosen')} (CV {chosen.get('cv_macro_f1')})  "
              f"{json.dumps(m.get('active_on_same_test'))}")
    return 0


def _triage_train(args) -> int:
    from kesu.core.clock import clock_now

    if args.target == "category":
        from kesu.triage.actions import model_train

        bar = _ProgressBar("choosing the settings by cross-validation")
        report = model_train(now=clock_now(), progress=bar)
        bar.finish()
        m = report.metrics
        chosen = m.get("chosen") or {}
        print(f"v{report.version}: macro-F1 {m['macro_f1']} (baseline {m.get('baseline_macro_f1')}), accuracy "
              f"{m['accuracy']} on the newest {m['n_test']} (trained on {m['n_train']}); settings "
              f"{chosen.get('chosen')!r} chosen by cross-validation (macro-F1 {chosen.get('cv_macro_f1')})")
        print(("promoted: " if report.promoted else "not promoted: ") + report.reason)
        return 0
    from kesu.triage.actions import anger_model_train
    from kesu.triage.evaluation import EvaluationInputError, labelled_rows_read

    if args.file is None:
        return _fail("--file: the anger model is trained on a labelled file (text, anger 0–3)", EXIT_USAGE)
    if not args.file.exists():
        return _fail(f"{args.file}: no such file")
    columns = {k: v for k, v in (("text_column", args.text_column), ("label_column", args.label_column)) if v}
    try:
        rows = labelled_rows_read(args.file, target="anger", **columns)
    except EvaluationInputError as error:
        return _fail(str(error))
    report = anger_model_train(rows=rows, now=clock_now())
    print(f"anger v{report.version}: {report.metrics['chosen'].get('chosen')}, cross-validated ROC AUC "
          f"{report.metrics['cv_roc_auc']} (the rules on the same texts: {report.metrics['rules_roc_auc']})")
    print(("active: " if report.promoted else "not used: ") + report.reason)
    return 0


class _ProgressBar:
    """A one-line progress bar on stderr: ``[#######             ] 3,500/10,000``."""

    WIDTH = 30

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // total if total else self.WIDTH
        print(f"\r{self.label} [{'#' * filled}{' ' * (self.WIDTH - filled)}] {done:,}/{total:,}", end="",
              file=sys.stderr, flush=True)

    def finish(self) -> None:
        print(file=sys.stderr)


def _triage_backfill(args) -> int:
    from django.utils import timezone

    from kesu.core.clock import clock_now
    from kesu.triage.actions import triage_backfill

    since = timezone.make_aware(args.created_from) if args.created_from else None
    bar = _ProgressBar("triage backfill")
    report = triage_backfill(now=clock_now(), since=since, only_open=args.only_open, progress=bar)
    bar.finish()
    print(f"{report.examined} complaints triaged again: {report.changed} changed (a triaged event each), "
          f"{report.examined - report.changed - report.failed} unchanged, {report.failed} failed")
    return EXIT_REFUSED if report.failed else 0


def _triage_evaluate(args) -> int:
    import json

    from kesu.triage.evaluation import EvaluationInputError, labelled_rows_read

    if args.target in ("category", "emotion") and args.train is None:
        return _fail(f"--train: the {args.target} target trains a fresh model on a labelled file", EXIT_USAGE)
    columns = {k: v for k, v in (("text_column", args.text_column), ("label_column", args.label_column)) if v}
    for path in (args.train, args.test):
        if path is not None and not path.exists():
            return _fail(f"{path}: no such file")
    try:
        train = labelled_rows_read(args.train, target=args.target, **columns) if args.train else None
        test = labelled_rows_read(args.test, target=args.target, **columns)
    except EvaluationInputError as error:
        return _fail(str(error))
    if args.target == "emotion":
        from kesu.triage.emotion import emotion_evaluate

        result = emotion_evaluate(train, test)
    elif args.target == "red_channel":
        from kesu.triage.evaluation import red_channel_evaluate

        result = red_channel_evaluate(test, train)
    elif args.target == "anger":
        from kesu.triage.context import triage_settings
        from kesu.triage.evaluation import anger_evaluate

        threshold = args.threshold if args.threshold is not None else triage_settings().emotion_threshold
        result = anger_evaluate(test, train, threshold=threshold)
    else:
        from kesu.triage.evaluation import category_evaluate

        result = category_evaluate(train, test)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for key, value in result.items():
        if key in ("per_class", "per_kind"):
            continue
        print(f"{key:<22} {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}")
    for label, scores in (result.get("per_class") or result.get("per_kind") or {}).items():
        print(f"  {label:<20} " + "  ".join(f"{k} {v}" for k, v in scores.items()))
    return 0


def cmd_calendar(args) -> int:
    from kesu.sla import commands

    if args.calendar_command == "import":
        from kesu.core.clock import clock_now

        print(commands.calendar_import_line(calendar_name=args.calendar, country=args.country, year=args.year,
                                            now=clock_now()))
    elif args.calendar_command == "add":
        print(commands.calendar_add_line(calendar_name=args.calendar, start=args.start, minutes=args.working_minutes))
    else:
        if args.end < args.start:
            return _fail("--end: must not be before --start", EXIT_USAGE)
        print(commands.calendar_between_line(calendar_name=args.calendar, start=args.start, end=args.end))
    return 0


def cmd_channels(args) -> int:
    from kesu.channels import commands

    if args.channels_command == "failed":
        lines = commands.failed_lines(limit=args.limit)
        print("\n".join(lines) if lines else "no failed intakes")
        return 0
    from kesu.core.clock import clock_now

    results = commands.poll_results(mailbox_name=args.mailbox, now=clock_now())
    if not results:
        print("no enabled mailbox")
    for result in results:
        print(result.line())
    return EXIT_REFUSED if any(result.error for result in results) else 0


COMMANDS = {
    "serve": cmd_serve, "worker": cmd_worker, "demo": cmd_demo, "migrate": cmd_migrate,
    "createuser": cmd_createuser, "token": cmd_token, "import": cmd_import, "export": cmd_export,
    "health": cmd_health, "triage": cmd_triage, "calendar": cmd_calendar, "channels": cmd_channels,
}
