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
# periods, and its largest variances.

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
