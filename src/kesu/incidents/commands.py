"""`kesu incidents …`: list the incidents, run (or finish) a resolution, withdraw an incident declared
by mistake, run burst detection once.

No Django import at module level (the CLI registers these before Django is set up)."""

from __future__ import annotations

import sys


def register(commands) -> None:
    from kesu.cli import OneLineParser

    incidents = commands.add_parser("incidents", help="mass incidents: list, resolve-run, detect")
    actions = incidents.add_subparsers(dest="incidents_command", metavar="ACTION", parser_class=OneLineParser)
    actions.required = True
    actions.add_parser("list", help="the incidents with their figures")
    run = actions.add_parser("resolve-run", help="answer, resolve and close the linked complaints of a resolved "
                             "incident (idempotent: run it again after an interruption)")
    run.add_argument("incident_id", type=int)
    run.add_argument("--chunk", type=int, default=200, help="links per chunk (default 200)")
    withdraw = actions.add_parser("withdraw", help="withdraw an incident declared by mistake: every linked "
                                  "complaint is unlinked and handled normally (routed, its own SLA), then the "
                                  "incident is deleted (refused once it is resolved)")
    withdraw.add_argument("incident_id", type=int)
    withdraw.add_argument("--reason", default="", help="written on each complaint's unlink event")
    detect = actions.add_parser("detect", help="run burst detection once (the job runs every 5 minutes)")
    detect.add_argument("--at", default="", help="as of this ISO date-time (default: now)")


def cmd_incidents(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.core.errors import FieldError

    now = clock_now()
    if args.incidents_command == "list":
        from kesu.incidents.selectors import incident_figures, incident_list

        for incident in incident_list():
            f = incident_figures(incident)
            share = "-" if f.self_healed_share is None else f"{f.self_healed_share:.0%}"
            print(f"#{incident.pk}  {incident.state:<10} {incident.title}  linked {f.linked}  answered {f.answered}  "
                  f"deflected {f.deflected}  self-healed {share}")
        return 0
    if args.incidents_command == "resolve-run":
        from kesu.incidents.models import Incident
        from kesu.pipeline.incidents import incident_resolve_run

        incident = Incident.objects.filter(pk=args.incident_id).first()
        if incident is None:
            raise FieldError("incident_id", "incident.not_found", id=args.incident_id)
        if args.chunk < 1:
            raise FieldError("--chunk", "field.out_of_range", low=1, high=100000, got=args.chunk)
        total = incident.resolve_total

        def progress(done: int) -> None:
            print(f"closed {done} (of {total} linked, this run)", flush=True)

        done = incident_resolve_run(incident_id=incident.pk, now=now, chunk=args.chunk, progress=progress)
        print(f"done: {done} closed by this run", flush=True)
        return 0
    if args.incidents_command == "withdraw":
        from kesu.incidents.models import Incident
        from kesu.pipeline.incidents import incident_withdraw

        incident = Incident.objects.filter(pk=args.incident_id).first()
        if incident is None:
            raise FieldError("incident_id", "incident.not_found", id=args.incident_id)
        released = incident_withdraw(incident=incident, by=None, now=now, reason=args.reason)
        print(f"withdrawn: {released} complaints back in normal handling", flush=True)
        return 0
    if args.incidents_command == "detect":
        from django.utils.dateparse import parse_datetime

        from kesu.incidents.bursts import bursts_detect

        at = now
        if args.at:
            at = parse_datetime(args.at)
            if at is None or at.tzinfo is None:
                raise FieldError("--at", "incident.not_datetime", got=args.at)
        result = bursts_detect(now=at)
        print(f"examined {result.examined} groups, {len(result.created)} new suggestions", file=sys.stdout)
        for s in result.created:
            print(f"  {s.dimension} {s.value} {s.region or ''}: {s.count} in the last {s.window} "
                  f"(expected {s.expected:.1f}, p={s.p_value:.2g})")
        return 0
    return 2


COMMANDS = {"incidents": cmd_incidents}
