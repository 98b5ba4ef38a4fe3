"""What the organizations app tells the apps above it."""

from django.dispatch import Signal

# sent by ``services.organization_update`` when an organization moved to another regulator or took
# another kind, once its subtree's paths are final, inside the update's transaction; arguments:
# ``organization`` (as it is now), ``path_was``, ``kind_was`` (its path and kind before)
organization_moved = Signal()
