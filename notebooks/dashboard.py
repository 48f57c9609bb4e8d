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
committee: Optional[str] = None

# %%
params = nb.parameters("dashboard", globals(), _before)
paper = nb.dashboard(params)

# %%
for fragment in nb.dashboard_fragments(paper):
    nb.show(fragment)
