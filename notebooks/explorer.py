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
# Run all cells, then choose a period, a directorate, a heading and a budget line with the controls
# below: every section redraws in place. The parameters cell sets the first selection (`None`: the
# whole authority, all headings; `line`: the line to drill into, by default the largest variance).
# Relative paths are read from the project's root folder, wherever the kernel started.
# **Export selection** writes the tables on show as CSV files and one workbook (to `export`, or
# `reports/explorer/`). Run without widgets (papermill), the notebook shows the first selection.

# %%
from typing import Optional

from finlib import notebook as nb

_before = nb.names(globals())

# %% tags=["parameters"]
data: str = "data/sample"
period: str = "2017-07"
last_reported: Optional[str] = None
directorate: Optional[str] = "Strategic & Corporate Services"
heading: Optional[str] = None
line: Optional[str] = None
top: int = 10
scenario: Optional[str] = "what-if"
export: Optional[str] = None

# %%
params = nb.parameters("explorer", globals(), _before)
explorer = nb.explorer(params)
explorer.controls()

# %% [markdown]
# ## Position

# %%
explorer.panel("position")

# %% [markdown]
# ## History over the year

# %%
explorer.panel("history")

# %% [markdown]
# ## Largest variances

# %%
explorer.panel("largest")

# %% [markdown]
# ## Drill-down: a line's cost centres and postings
#
# The chosen line's actuals to date by cost centre, and its largest postings in the general ledger
# (every posting is in the export).

# %%
explorer.panel("drill")

# %% [markdown]
# ## Actuals and forecast methods
#
# Actuals from the general ledger by month, with the unmapped bucket and the control totals; every
# forecast method side by side, the lines flagged for challenge, the forecast history and last year's
# accuracy.

# %%
explorer.panel("actuals")

# %%
explorer.panel("methods")

# %%
explorer.panel("forecast_history")

# %% [markdown]
# ## What-if scenario

# %%
explorer.panel("scenario")

# %% [markdown]
# ## Export

# %%
nb.export(explorer, params)
