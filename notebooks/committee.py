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
from typing import Optional

from finlib import notebook as nb

_before = nb.names(globals())

# %% tags=["parameters"]
data: str = "data/sample"
period: str = "2017-07"
last_reported: Optional[str] = None
committee: str = "policy-and-resources"
prepared: Optional[str] = None
prepared_sha256: Optional[str] = None
restricted: bool = False

# %%
params = nb.parameters("committee", globals(), _before)
report = nb.report(params)

# %%
for fragment in nb.fragments(report):
    nb.show(fragment)
