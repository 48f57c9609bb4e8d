# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Forecast explorer
#
# Set `directorate` and/or `heading` in the parameters cell (or leave them `None` for the whole
# authority) and run all cells: the selection's position, its history over the year's published
# periods, and its largest variances; then the actuals from the ledger with every forecast method, and
# a what-if scenario (`scenario`: a file of the data set's `scenarios/` folder, or `None`).

# %%
from typing import Optional

from finlib import notebook as nb
from finlib.render import explorer_html as page

_before = nb.names(globals())

# %% tags=["parameters"]
data: str = "data/sample"
period: str = "2017-07"
last_reported: Optional[str] = None
directorate: Optional[str] = "Strategic & Corporate Services"
heading: Optional[str] = None
top: int = 10
scenario: Optional[str] = "what-if"

# %%
params = nb.parameters("explorer", globals(), _before)
exploration = nb.explore(params)
nb.show(page.style(), page.explorer_header(exploration.view))

# %% [markdown]
# ## Position

# %%
nb.show(page.explorer_position(exploration.view))

# %% [markdown]
# ## History over the year

# %%
nb.show(page.explorer_history(exploration.view))

# %% [markdown]
# ## Largest variances

# %%
nb.show(page.explorer_largest(exploration.view))

# %% [markdown]
# ## Actuals and forecast methods
#
# Actuals from the general ledger by month, with the unmapped bucket and the control totals; every
# forecast method side by side, the lines flagged for challenge, the forecast history and last year's
# accuracy.

# %%
nb.show(page.actuals(exploration))

# %%
nb.show(page.methods(exploration))

# %%
nb.show(page.history(exploration))

# %% [markdown]
# ## What-if scenario

# %%
nb.show(page.scenario(exploration))
