"""Live browser dashboard of the innovation-system model (Solara + Altair); see docs/dashboard.md."""
