"""The shipped SLA policies (docs/architecture.md, "Time limits"), seeded by a migration; the management layer edits them.

Working minutes on the default calendar (09:00–12:00, 13:30–18:00 = 450 a day): first response
24 working hours, resolution 5 working days, the 48-hour escalation to a senior specialist; the
red channel answers within 30 minutes around the clock and is reminded of every hour.
"""

from __future__ import annotations

WORKING_DAY = 450
LADDER = [
    {"level": 1, "after_minutes": 0, "notify": "handler"},
    {"level": 2, "after_minutes": 240, "notify": "team_lead"},
    {"level": 3, "after_minutes": 480, "notify": "manager"},
]

DEFAULT_POLICIES = [
    {
        "name": "red-channel",
        "title": "红色预警",
        "title_en": "Red channel",
        "position": 10,
        "conditions": {"red_channel": True},
        "targets": {
            "assignment": {"minutes": 15, "around_the_clock": True},
            "acceptance": {"minutes": 15, "around_the_clock": True},
            "first_response": {"minutes": 30, "around_the_clock": True},
            "first_contact": {"minutes": 60, "around_the_clock": True},
            "transfer_acceptance": {"minutes": 30, "around_the_clock": True},
            "resolution": {"minutes": 24 * 60, "around_the_clock": True},
            "closure": {"minutes": 3 * WORKING_DAY},
            "follow_up": {"minutes": 2 * WORKING_DAY},
        },
        "warn_percent": 75,
        "levels": [
            {"level": 1, "after_minutes": 0, "notify": "handler"},
            {"level": 2, "after_minutes": 30, "notify": "team_lead"},
            {"level": 3, "after_minutes": 60, "notify": "manager"},
        ],
        "specialist_after_minutes": 48 * 60,
        "remind_every_minutes": 60,
    },
    {
        "name": "priority",
        "title": "P1 / P2",
        "position": 20,
        "conditions": {"priority": ["P1", "P2"]},
        "targets": {
            "assignment": {"minutes": 60},
            "acceptance": {"minutes": 30},
            "first_response": {"minutes": 4 * 60},
            "first_contact": {"minutes": 8 * 60},
            "transfer_acceptance": {"minutes": 120},
            "resolution": {"minutes": 3 * WORKING_DAY},
            "closure": {"minutes": 3 * WORKING_DAY},
            "follow_up": {"minutes": 5 * WORKING_DAY},
        },
        "warn_percent": 75,
        "levels": LADDER,
        "specialist_after_minutes": 48 * 60,
        "remind_every_minutes": None,
    },
    {
        "name": "standard",
        "title": "标准",
        "title_en": "Standard",
        "position": 100,
        "conditions": {},
        "targets": {
            "assignment": {"minutes": 120},
            "acceptance": {"minutes": 60},
            "first_response": {"minutes": 24 * 60},
            "first_contact": {"minutes": 24 * 60},
            "transfer_acceptance": {"minutes": 240},
            "resolution": {"minutes": 5 * WORKING_DAY},
            "closure": {"minutes": 3 * WORKING_DAY},
            "follow_up": {"minutes": 5 * WORKING_DAY},
        },
        "warn_percent": 75,
        "levels": LADDER,
        "specialist_after_minutes": 48 * 60,
        "remind_every_minutes": None,
    },
]
