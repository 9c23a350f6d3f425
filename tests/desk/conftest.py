import pytest

from desk import codes, registry


class FakeCases:
    """A case app as `desk` sees it: registered codes that belong to a mobile number."""

    prefix = "9"

    def __init__(self):
        self.cases: dict[str, str] = {}
        self.lookups: list[tuple[str, str]] = []

    def add(self, mobile: str, body: str = "1234509876") -> str:
        code = codes.make_code(self.prefix, body)
        self.cases[code] = mobile
        return code

    def matches(self, code: str, mobile: str) -> bool:
        self.lookups.append((code, mobile))
        return self.cases.get(code) == mobile


@pytest.fixture
def fake_cases():
    cases = FakeCases()
    registry.register_case_kind(
        registry.CaseKind(
            prefix=cases.prefix,
            name="fake",
            label="fake case",
            matches=cases.matches,
            url=lambda code: f"/fake/{code}/",
        )
    )
    yield cases
    registry.unregister_case_kind(cases.prefix)
