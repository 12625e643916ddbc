"""Mechanisms of one quarter, each a function ``step(model)`` working on the state arrays."""
