"""What each app offers the desk, declared once in its AppConfig.ready().

`desk` imports no app: an app registers its tracking-code kind (how to find a case by code
and mobile, and where the citizen's page for it is) and its home-page card here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class CaseKind:
    """A kind of case a citizen can follow with a tracking code.

    `matches(code, mobile)` says whether a case has that code and was filed with that mobile;
    `url(code)` is the citizen's page for that case; `staff_url(code)` finds it in the back
    office (its list, searched by the code: scoped to what the staff member may see), for
    holders of `view_permission`.
    """

    prefix: str
    name: str
    label: Any
    matches: Callable[[str, str], bool]
    url: Callable[[str], str]
    staff_url: Callable[[str], str] | None = None
    view_permission: str = ""


@dataclass(frozen=True)
class HomeCard:
    title: Any
    summary: Any
    url_name: str
    order: int = 100
    icon: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class PeriodicJob:
    """A job `run_periodic` calls every `every` seconds. It must be safe to run twice
    (two runners, or a run cut short), because nothing else prevents that."""

    name: str
    func: Callable[[], Any]
    every: int = 60


_case_kinds: dict[str, CaseKind] = {}
_home_cards: list[HomeCard] = []
_periodic_jobs: dict[str, PeriodicJob] = {}
_demo_seeders: dict[str, Callable[[], Any]] = {}


def register_case_kind(kind: CaseKind) -> None:
    existing = _case_kinds.get(kind.prefix)
    if existing and existing.name != kind.name:
        raise ValueError(f"Tracking-code prefix {kind.prefix} is taken by {existing.name}")
    _case_kinds[kind.prefix] = kind


def register_case_app(model: Any, *, label: Any, case_url_name: str, card: HomeCard) -> None:
    """What a case app's `ready()` declares, in one call: its tracking-code kind (a case of
    `model` is found by its code together with the mobile it was filed with, and the citizen
    follows it at `case_url_name`) and its card on the home page."""
    opts = model._meta
    changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
    register_case_kind(
        CaseKind(
            prefix=model.tracking_prefix,
            name=model.tracking_kind,
            label=label,
            matches=model.filed_with,
            url=lambda code: reverse(case_url_name, args=[code]),
            staff_url=lambda code: f"{reverse(changelist)}?q={code}",
            view_permission=f"{opts.app_label}.view_{opts.model_name}",
        )
    )
    register_home_card(card)


def unregister_case_kind(prefix: str) -> None:
    _case_kinds.pop(prefix, None)


def case_kind_for(code: str) -> CaseKind | None:
    for prefix, kind in _case_kinds.items():
        if code.startswith(prefix):
            return kind
    return None


def case_kind_named(name: str) -> CaseKind | None:
    return next((kind for kind in _case_kinds.values() if kind.name == name), None)


def case_kinds() -> list[CaseKind]:
    return sorted(_case_kinds.values(), key=lambda kind: kind.prefix)


def register_home_card(card: HomeCard) -> None:
    if card not in _home_cards:
        _home_cards.append(card)


def unregister_home_card(card: HomeCard) -> None:
    if card in _home_cards:
        _home_cards.remove(card)


def home_cards() -> list[HomeCard]:
    return sorted(_home_cards, key=lambda card: card.order)


def register_periodic_job(job: PeriodicJob) -> None:
    _periodic_jobs[job.name] = job


def periodic_jobs() -> list[PeriodicJob]:
    return list(_periodic_jobs.values())


def register_demo_seeder(name: str, func: Callable[[], Any]) -> None:
    """`seed_demo` calls `func` after the desk's own demo data; it must be idempotent."""
    _demo_seeders[name] = func


def demo_seeders() -> list[Callable[[], Any]]:
    return list(_demo_seeders.values())
