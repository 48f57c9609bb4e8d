"""The domain: value types and the rules of budget monitoring, as pure functions of data.

Nothing here reads or writes a file: :mod:`finlib.inputs` and :mod:`finlib.store` hand these modules
data, and the report model (:mod:`finlib.report`) is built from what they return.
"""
