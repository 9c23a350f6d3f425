"""What each app offers the desk, declared once in its AppConfig.ready().

`desk` imports no app: an app registers its tracking-code kind (how to find a case by code
and mobile, where the citizen's page for it is, and the cases staff may see in the back
office), its home-page card and the counts of its day's work here.
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
    holders of `view_permission`. `staff_cases(request)` is every case of the kind the
    request's user may see in the back office (its registered ModelAdmin's queryset; none
    without the view permission), and `staff_change_url(pk)` a case's page there.
    """

    prefix: str
    name: str
    label: Any
    matches: Callable[[str, str], bool]
    url: Callable[[str], str]
    staff_url: Callable[[str], str] | None = None
    view_permission: str = ""
    staff_cases: Callable[[Any], Any] | None = None
    staff_change_url: Callable[[Any], str] | None = None


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


@dataclass(frozen=True)
class WorkCount:
    """One number of the day's work on the back office's home page.

    `count(user)` is how many rows the user has to deal with: an int, or a queryset already
    scoped to what the user may see (counted here). `url()` is the list filtered to exactly
    those rows. Shown only to holders of `permission` (the model's view permission), in the
    cards of `group`, ordered by `order`; `key` names it ("complaints.overdue").
    """

    key: str
    title: Any
    group: Any
    count: Callable[[Any], Any]
    url: Callable[[], str]
    permission: str
    order: int = 100


@dataclass(frozen=True)
class Work:
    """A work count as one user sees it."""

    key: str
    title: Any
    group: Any
    number: int
    url: str


_case_kinds: dict[str, CaseKind] = {}
_work_counts: dict[str, WorkCount] = {}
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
    change = f"admin:{opts.app_label}_{opts.model_name}_change"

    def staff_cases(request: Any) -> Any:
        # The back office's own scoping, asked of the ModelAdmin that lists the cases, so
        # the search never shows a case its list would not.
        from django.contrib import admin

        model_admin = admin.site.get_model_admin(model)
        if not model_admin.has_view_permission(request):
            return model._default_manager.none()
        return model_admin.get_queryset(request)

    register_case_kind(
        CaseKind(
            prefix=model.tracking_prefix,
            name=model.tracking_kind,
            label=label,
            matches=model.filed_with,
            url=lambda code: reverse(case_url_name, args=[code]),
            staff_url=lambda code: f"{reverse(changelist)}?q={code}",
            view_permission=f"{opts.app_label}.view_{opts.model_name}",
            staff_cases=staff_cases,
            staff_change_url=lambda pk: reverse(change, args=[pk]),
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


def register_work_count(count: WorkCount) -> None:
    _work_counts[count.key] = count


def unregister_work_count(key: str) -> None:
    _work_counts.pop(key, None)


def work_counts(user: Any, *, known: dict[str, int] | None = None) -> list[Work]:
    """The day's work `user` may see, in order: one query per count (and whatever the
    count's scoping costs), however many rows the tables hold. `known` holds numbers the
    page has counted already, by key: they are not counted again."""
    known = known or {}
    shown = []
    for declared in sorted(_work_counts.values(), key=lambda work: (work.order, work.key)):
        if not user.has_perm(declared.permission):
            continue
        number = known[declared.key] if declared.key in known else declared.count(user)
        if not isinstance(number, int):
            number = number.count()
        shown.append(
            Work(
                key=declared.key,
                title=declared.title,
                group=declared.group,
                number=number,
                url=declared.url(),
            )
        )
    return shown


def register_periodic_job(job: PeriodicJob) -> None:
    _periodic_jobs[job.name] = job


def periodic_jobs() -> list[PeriodicJob]:
    return list(_periodic_jobs.values())


def register_demo_seeder(name: str, func: Callable[[], Any]) -> None:
    """`seed_demo` calls `func` after the desk's own demo data; it must be idempotent."""
    _demo_seeders[name] = func


def demo_seeders() -> list[Callable[[], Any]]:
    return list(_demo_seeders.values())


_sms_kinds: dict[str, Any] = {}


def register_sms_kinds(labels: dict[str, Any]) -> None:
    """The names staff read for an app's SMS kinds (templates/sms/<kind>.txt)."""
    _sms_kinds.update(labels)


def sms_kind_label(kind: str) -> Any:
    return _sms_kinds.get(kind, kind)


def sms_kinds() -> dict[str, Any]:
    return dict(_sms_kinds)


@dataclass(frozen=True)
class LoadGenerator:
    """Synthetic load for the quarterly report's benchmark (`manage.py generate_load`).

    `func(scale, start, end, seed)` writes the app's rows in bulk, spread over the Tehran
    dates [start, end): `scale` 1.0 is the benchmark's size, tests pass a small fraction.
    Generators run in `order`; a later one may read the rows of an earlier one (survey
    answers need finished cases)."""

    name: str
    func: Callable[..., Any]
    order: int = 100


_load_generators: dict[str, LoadGenerator] = {}


def register_load_generator(generator: LoadGenerator) -> None:
    _load_generators[generator.name] = generator


def load_generators() -> list[LoadGenerator]:
    return sorted(
        _load_generators.values(), key=lambda generator: (generator.order, generator.name)
    )


@dataclass(frozen=True)
class ReportPart:
    """An app's part of the quarterly report (desk/reports): `build(period)` returns a
    desk.reports.PartResult computed with aggregate queries. Parts sharing a `section` key
    make one section, titled `section_title`, in `order`."""

    key: str
    section: str
    section_title: Any
    build: Callable[[Any], Any]
    order: int = 100


_report_parts: dict[str, ReportPart] = {}


def register_report_part(part: ReportPart) -> None:
    _report_parts[part.key] = part


def unregister_report_part(key: str) -> None:
    _report_parts.pop(key, None)


def report_parts() -> list[ReportPart]:
    return sorted(_report_parts.values(), key=lambda part: (part.order, part.key))
