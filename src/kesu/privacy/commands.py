"""``kesu privacy export|erase``: requests of the person (PIPL Art. 45 / 47). No Django import at
module level (the CLI imports this before Django is set up)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _person_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", type=int, help="the customer's id")
    who.add_argument("--phone", default="", help="a phone number of the customer, in any format")
    who.add_argument("--email", default="", help="an e-mail address of the customer")
    parser.add_argument("--as", dest="as_user", default="", help="record the request as done by this user")


def register(commands) -> None:
    from kesu.cli import OneLineParser

    privacy = commands.add_parser("privacy", help="requests of the person: export or erase a customer's data")
    actions = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", parser_class=OneLineParser)
    actions.required = True
    export = actions.add_parser("export", help="write a ZIP with everything kesu holds about the person")
    _person_arguments(export)
    export.add_argument("--to", type=Path, default=None, help="the ZIP file (default: person-<id>.zip)")
    erase = actions.add_parser("erase", help="anonymise the person everywhere (irreversible)")
    _person_arguments(erase)
    erase.add_argument("--yes", action="store_true", help="do it: without --yes only what would change is shown")
    _register_backup(commands)
    retention = actions.add_parser("retention", help="anonymise complaints past their retention period, now")
    retention.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")


def _register_backup(commands) -> None:
    from kesu.cli import OneLineParser

    backup = commands.add_parser("backup", help="back up, verify and restore the database and the data folder")
    actions = backup.add_subparsers(dest="backup_command", metavar="ACTION", parser_class=OneLineParser)
    actions.required = True
    create = actions.add_parser("create", help="write a backup ZIP (0600)")
    create.add_argument("--to", type=Path, default=None, help="folder (default: <data folder>/backups)")
    create.add_argument("--keep", type=int, default=0, help="then keep only the newest N backups there")
    verify = actions.add_parser("verify", help="check a backup against its manifest")
    verify.add_argument("file", type=Path)
    restore = actions.add_parser("restore", help="restore a backup into an empty data folder and database")
    restore.add_argument("file", type=Path)


def cmd_backup(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.privacy.backup import backup_create, backup_restore, backup_rotate, backup_verify, progress_bar

    if args.backup_command == "create":
        path = backup_create(to=args.to, now=clock_now(), progress=progress_bar)
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
        if args.keep:
            for old in backup_rotate(path.parent, args.keep):
                print(f"deleted {old}")
        return 0
    if args.backup_command == "verify":
        manifest = backup_verify(args.file, progress=progress_bar)
        print(f"{args.file}: ok ({len(manifest['tables'])} tables, {len(manifest['files'])} files, "
              f"{manifest['database']}, made {manifest['created_at']})")
        return 0
    manifest = backup_restore(args.file, progress=progress_bar)
    print(f"restored {args.file}: {len(manifest['tables'])} tables and {len(manifest['files'])} files match the "
          "manifest")
    return 0


def cmd_privacy(args) -> int:
    from kesu.cli import EXIT_REFUSED
    from kesu.core.clock import clock_now
    from kesu.core.models import User
    from kesu.privacy.persons import customer_find, person_erase, person_export, person_rows

    by = None
    if args.as_user:
        by = User.objects.filter(username=args.as_user, is_active=True).first()
        if by is None:
            print(f"kesu: error: there is no active user {args.as_user!r}")
            return EXIT_REFUSED
    if args.privacy_command == "retention":
        return _retention(args)
    customer = customer_find(customer_id=args.customer, phone=args.phone, email=args.email)
    now = clock_now()
    if args.privacy_command == "export":
        path = args.to or Path(f"person-{customer.pk}.zip")
        done = person_export(customer=customer, path=path, by=by, now=now)
        print(f"wrote {path}: {done['rows']} rows, {done['files']} files (mode 0600)")
        return 0
    rows = person_rows(customer)
    count = sum(len(v) for v in rows.values())
    if not args.yes:
        print(f"customer #{customer.pk}: {count} rows in {len(rows)} tables would be anonymised; "
              "run again with --yes to erase (irreversible)")
        return 0
    print(f"erasing customer #{customer.pk} ({count} rows in {len(rows)} tables) …", flush=True)
    done = person_erase(customer=customer, by=by, now=now)
    print(f"erased: {done['rows']} rows changed, {done['files']} files deleted")
    return 0


def _retention(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.privacy.models import RetentionPolicy
    from kesu.privacy.retention import retention_sweep

    if not RetentionPolicy.objects.filter(enabled=True).exists():
        print("no retention policy is enabled (they are off by default): nothing to do")
        return 0
    total = 0
    while True:
        report = retention_sweep(now=clock_now(), dry_run=args.dry_run)
        total += report.complaints
        verb = "would anonymise" if args.dry_run else "anonymised"
        print(f"{verb} {total} complaints …", flush=True)
        if args.dry_run or not report.more:
            break
    if args.dry_run:
        for policy in RetentionPolicy.objects.filter(enabled=True).select_related("category"):
            print(f"  policy {policy}: {report.per_policy.get(policy.pk, 0)} complaints due (first chunk)")
    return 0


COMMANDS = {"privacy": cmd_privacy, "backup": cmd_backup}
