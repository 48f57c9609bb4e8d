"""The published record: frozen positions, their manifests, Last Reported, and verifying them; the
Corporate Directors' sign-offs a period is published with.

With :mod:`finlib.inputs` and the renderers, the only code that touches files.
"""

from finlib.store.manifest import Manifest, MissingExplanations, read_manifest
from finlib.store.published import (
    current,
    history,
    last_reported_period,
    load_published,
    manifest,
    outturn_requests,
    publications,
    publish,
    published_periods,
    published_years,
    recorded_last_version,
    versions,
)
from finlib.store.signoffs import read_signoffs, sign_off
from finlib.store.signoffs import statuses as signoff_statuses
from finlib.store.verify import Finding, verify

__all__ = [
    "Finding",
    "Manifest",
    "MissingExplanations",
    "current",
    "history",
    "last_reported_period",
    "load_published",
    "manifest",
    "outturn_requests",
    "publications",
    "publish",
    "published_periods",
    "published_years",
    "read_manifest",
    "read_signoffs",
    "recorded_last_version",
    "sign_off",
    "signoff_statuses",
    "verify",
    "versions",
]
