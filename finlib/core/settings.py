"""What ``authority.yaml`` says: the authority's name, reporting thresholds, row labels, forecast method.

Read by :mod:`finlib.inputs.settings`; every rule that depends on a threshold asks these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The row that holds restricted (exempt) lines and schemes in a public report.
EXEMPT = "Exempt items"

#: Forecast methods a budget line can use (finlib.core.forecast computes every one of them).
FORECAST_METHODS = ("budget", "run-rate", "profiled", "return")

#: The one placeholder a label template may hold (the sub-total row's).
LABEL_PLACEHOLDER = "directorate"


@dataclass(frozen=True)
class Thresholds:
    """Reporting thresholds, in pence (authority.yaml gives them in pounds)."""

    variance_commentary: int = 100_000_00  # a revenue variance at or above this, either way, is explained
    movement_commentary: int = 50_000_00  # a movement at or above this, either way, is explained
    capital_real: int = 100_000_00  # capital real variances strictly over this are listed
    capital_rephasing: int = 1_000_000_00  # capital rephasing strictly over this is listed
    forecast_challenge: int = 100_000_00  # the manager's forecast departs from every method by more


@dataclass(frozen=True)
class Labels:
    """Row labels of the authority table, as the authority prints them."""

    financing: str = "Financing Items"
    total: str = "TOTAL (excl Schools)"
    schools: str = "Schools (CYP&E Directorate)"
    grand_total: str = "TOTAL"
    subtotal: str = "Sub Total {directorate}"
    variance_from_above: str = "Variance from above (excl schools)"
    rf_committed: str = "Roll forwards - committed"
    rf_rephased: str = "- re-phased"
    rf_bids: str = "- bids"
    rf_total: str = "Total roll forward requirements"
    balance: str = "(-ve) Uncommitted balance / (+ve) Deficit"
    unmapped: str = "Not mapped to a budget line"
    ledger_total: str = "Ledger total"
    scenario_start: str = "Position after CD adjustments and roll forwards"
    scenario_end: str = "Resulting position"

    def subtotal_for(self, directorate: str) -> str:
        return self.subtotal.replace("{" + LABEL_PLACEHOLDER + "}", directorate)


@dataclass(frozen=True)
class Settings:
    """What authority.yaml says: the authority's name, thresholds, labels and default forecast method."""

    name: str = "Kent County Council"
    thresholds: Thresholds = field(default_factory=Thresholds)
    labels: Labels = field(default_factory=Labels)
    forecast_method: str = "return"  # one of FORECAST_METHODS; a line may choose another
    short_names: dict[str, str] = field(default_factory=dict)  # directorate → the short name sheets use
    # Last Reported in a year's first report: "blank", or "outturn" (last year's, on this year's headings)
    year_start: str = "blank"


@dataclass(frozen=True)
class Committee:
    """A Cabinet Committee that receives an extract: its key (file names, ``--committee``), name and remit.

    A remit names whole directorates, divisions (``Directorate - Division``, as the authority table
    writes them) and Budget Book Headings; a committee sees every service line any of them covers.
    """

    key: str
    name: str
    directorates: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    authority_summary: bool = False  # sees the whole-authority section (Policy & Resources)

    def covers(self, directorate: str, division_label: str, heading: str) -> bool:
        """Whether a service line (its directorate, ``Directorate - Division`` label and heading) is in the remit."""
        return directorate in self.directorates or division_label in self.divisions or heading in self.headings


@dataclass(frozen=True)
class Contact:
    """A person named on a paper: the report author or the relevant director."""

    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PaperWords:
    """The words of one paper that are not figures (``papers.yaml``): its cover block, recommendations,
    background documents and contacts.  ``meetings`` gives the date of the meeting for each period."""

    from_: str = "Corporate Director of Finance"
    to: str = ""
    subject: str = ""
    classification: str = "Unrestricted"
    meetings: dict[str, str] = field(default_factory=dict)  # period (YYYY-MM) → date of meeting (YYYY-MM-DD)
    recommendations: tuple[str, ...] = ()
    outturn_recommendations: tuple[str, ...] = ()  # the outturn paper's, instead of ``recommendations``
    background: tuple[str, ...] = ()
    author: Contact | None = None
    director: Contact | None = None

    def asked(self, outturn: bool) -> tuple[str, ...]:
        """The recommendations this paper's words give, for a monthly report or for the outturn."""
        return self.outturn_recommendations if outturn else self.recommendations


@dataclass(frozen=True)
class Papers:
    """``papers.yaml``: the Cabinet paper's words and each committee's (each falls back on ``defaults``)."""

    defaults: PaperWords = field(default_factory=PaperWords)
    cabinet: PaperWords = field(default_factory=PaperWords)
    committees: dict[str, PaperWords] = field(default_factory=dict)

    def for_committee(self, key: str) -> PaperWords:
        return self.committees.get(key, self.defaults)
