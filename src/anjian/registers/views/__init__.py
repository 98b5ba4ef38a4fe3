"""Pages of the registers, one module per register: ``equipment`` (special equipment and fire
facilities, their records, overdue inspections into the hazard ledger, the kinds), ``chemicals``,
``waste``, and ``overview`` (the regulator's). ``registers/urls.py`` names the views by module."""
