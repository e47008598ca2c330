"""The bot's flow as data: :class:`Flow` read from ``ISTOK_SUPPORT_FLOW`` (see
``conf.DEFAULT_FLOW``), and :func:`flow_problems`, what the system checks report."""

import re
from dataclasses import dataclass

#: What a branch may do besides answering.
ACTIONS = ("orders", "booking", "handoff")
#: The text keys a flow must have, besides ``branches``.
TEXT_KEYS = (
    "greeting",
    "handoff_label",
    "handoff_answer",
    "fallback",
    "no_orders",
    "order_attached",
    "booking_label",
)
#: The action of the button that connects the customer with a specialist; a branch's code
#: may not be this.
HANDOFF = "handoff"
#: The prefix of the buttons that attach an order: ``order:<pk>``.
ORDER_PREFIX = "order:"

_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class Branch:
    code: str
    label: str
    answer: str
    action: str | None = None


@dataclass(frozen=True)
class Flow:
    greeting: str
    branches: tuple
    handoff_label: str
    handoff_answer: str
    fallback: str
    no_orders: str
    order_attached: str
    booking_label: str

    @classmethod
    def from_data(cls, data):
        """The flow that ``data`` (``ISTOK_SUPPORT_FLOW``'s shape) describes. The system
        checks have made sure it is well formed."""
        branches = tuple(
            Branch(
                code=entry["code"],
                label=entry["label"],
                answer=entry["answer"],
                action=entry.get("action") or None,
            )
            for entry in data["branches"]
        )
        return cls(branches=branches, **{key: data[key] for key in TEXT_KEYS})

    def branch(self, code):
        """The branch whose code is ``code``, or ``None``."""
        return next((branch for branch in self.branches if branch.code == code), None)


def _is_text(value):
    # A lazy translation is a Promise, not a str; both are text.
    from django.utils.functional import Promise

    return isinstance(value, (str, Promise)) and bool(str(value).strip())


def flow_problems(data):
    """What is wrong with the flow ``data``, as ``(message, id)`` pairs (``"E002"``)."""
    if not isinstance(data, dict):
        return [
            ("ISTOK_SUPPORT_FLOW must be a dict (see istok_support.conf.DEFAULT_FLOW).", "E002")
        ]
    problems = []
    for key in TEXT_KEYS:
        if not _is_text(data.get(key)):
            problems.append((f"ISTOK_SUPPORT_FLOW[{key!r}] must be a non-empty text.", "E002"))
    branches = data.get("branches")
    if not isinstance(branches, (list, tuple)) or not branches:
        problems.append(("ISTOK_SUPPORT_FLOW['branches'] must be a non-empty list.", "E003"))
        return problems
    seen = set()
    for index, entry in enumerate(branches):
        where = f"ISTOK_SUPPORT_FLOW['branches'][{index}]"
        if not isinstance(entry, dict):
            problems.append((f"{where} must be a dict.", "E003"))
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE.fullmatch(code) or code == HANDOFF:
            problems.append(
                (
                    f"{where} has the code {code!r}: use 1 to 32 letters, digits, '_' or "
                    f"'-', other than {HANDOFF!r}.",
                    "E003",
                )
            )
        elif code in seen:
            problems.append((f"{where}: the code {code!r} is used twice.", "E003"))
        seen.add(code)
        for key in ("label", "answer"):
            if not _is_text(entry.get(key)):
                problems.append((f"{where}[{key!r}] must be a non-empty text.", "E003"))
        action = entry.get("action")
        if action and action not in ACTIONS:
            problems.append(
                (
                    f"{where} has the action {action!r}: use one of "
                    f"{', '.join(repr(a) for a in ACTIONS)}, or none.",
                    "E004",
                )
            )
    return problems
