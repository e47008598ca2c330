"""The status pipeline, read from ``ISTOK_ORDERS_PIPELINE`` (see ``conf.DEFAULT_PIPELINE``)."""

from collections import deque
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Status:
    """One status of the pipeline."""

    code: str
    label: str
    next: tuple = ()
    date_field: str | None = None
    max_days: int | None = None
    customer_visible: bool = True
    closed: bool = False
    progress: bool = True

    def __str__(self):
        return str(self.label)

    @classmethod
    def from_dict(cls, entry):
        return cls(
            code=entry["status"],
            label=entry.get("label") or entry["status"],
            next=tuple(entry.get("next") or ()),
            date_field=entry.get("date_field") or None,
            max_days=entry.get("max_days"),
            customer_visible=bool(entry.get("customer_visible", True)),
            closed=bool(entry.get("closed", False)),
            progress=bool(entry.get("progress", True)),
        )


class Pipeline:
    """The statuses in order, with the transitions each allows."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self._by_code = {status.code: status for status in self.statuses}

    def __iter__(self):
        return iter(self.statuses)

    def __len__(self):
        return len(self.statuses)

    def __contains__(self, code):
        return code in self._by_code

    def __getitem__(self, code):
        return self._by_code[code]

    def get(self, code):
        return self._by_code.get(code)

    @property
    def initial(self):
        """The status of a new order: the first one."""
        return self.statuses[0]

    def allows(self, old, new):
        """Whether an order in status ``old`` may move to ``new``."""
        status = self.get(old)
        return status is not None and new in status.next and new in self

    def label(self, code):
        """The label of ``code``; the code itself for a status the pipeline no longer has."""
        status = self.get(code)
        return status.label if status is not None else code

    def choices(self):
        return [(status.code, status.label) for status in self.statuses]

    @property
    def closed_codes(self):
        return [status.code for status in self.statuses if status.closed]

    @property
    def progress_steps(self):
        return [status for status in self.statuses if status.progress]

    def path(self, old, new):
        """The shortest list of statuses that leads from ``old`` to ``new`` (``new``
        included, ``old`` not), or ``None`` when there is none."""
        if old == new:
            return []
        seen = {old: None}
        queue = deque([old])
        while queue:
            code = queue.popleft()
            for following in self[code].next if code in self else ():
                if following in seen or following not in self:
                    continue
                seen[following] = code
                if following == new:
                    steps = [new]
                    while seen[steps[-1]] != old:
                        steps.append(seen[steps[-1]])
                    return list(reversed(steps))
                queue.append(following)
        return None


def get_pipeline():
    """The pipeline of ``ISTOK_ORDERS_PIPELINE`` (read each time: tests may change it)."""
    return Pipeline(Status.from_dict(entry) for entry in settings.ISTOK_ORDERS_PIPELINE)
