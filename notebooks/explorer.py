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
from finlib import notebook as nb
from finlib.render import html

_before = nb.names(globals())

# %% tags=["parameters"]
data = "data/sample"
period = "2017-07"
last_reported = None
directorate = "Strategic & Corporate Services"
heading = None
top = 10
scenario = "what-if"

# %%
params = nb.parameters("explorer", globals(), _before)
view = nb.explorer(params)
nb.show(html.style(), html.explorer_header(view))

# %% [markdown]
# ## Position

# %%
nb.show(html.explorer_position(view))

# %% [markdown]
# ## History over the year

# %%
nb.show(html.explorer_history(view))

# %% [markdown]
# ## Largest variances

# %%
nb.show(html.explorer_largest(view))

# %% [markdown]
# ## Actuals and forecast methods
#
# Actuals from the general ledger by month, with the unmapped bucket and the control totals; every
# forecast method side by side, the lines flagged for challenge, the forecast history and last year's
# accuracy.

# %%
from finlib import analysis
from finlib.render import analysis_html

ledger_view = analysis.ledger_view(
    params["data"], params["period"], params["last_reported"], params["directorate"], params["heading"]
)
nb.show(analysis_html.actuals(ledger_view))

# %%
nb.show(analysis_html.methods(ledger_view))

# %%
nb.show(analysis_html.history(ledger_view), analysis_html.accuracy(ledger_view))

# %% [markdown]
# ## What-if scenario

# %%
what_if = analysis.scenario_view(params["data"], params["period"], params["scenario"], params["last_reported"])
nb.show(analysis_html.scenario(what_if, view.period_label))
