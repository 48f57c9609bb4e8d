# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %%
from finlib import notebook as nb
from finlib.render import html

_before = nb.names(globals())

# %% tags=["parameters"]
data = "data/sample"
period = "2017-07"
last_reported = None
committee = "policy-and-resources"
prepared = None
restricted = False

# %%
params = nb.parameters("committee", globals(), _before)
report = nb.committee_report(params)
nb.show(html.style(), html.header(report))

# %%
for section in report.sections:
    nb.show(html.directorate_section(section, report.period_label))

# %%
if report.authority_summary:
    nb.show(html.authority_section(report))

# %%
nb.show(html.appendix(report))
