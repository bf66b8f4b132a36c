"""Admin of the suggestions app. Importing the modules registers their classes.

`units`: handling units (承办单位), scoped to the user's region like every network object, with
Excel in and out. `suggestions`: suggestions (read-only pages with the workflow steps as buttons
each taken through `suggestions.steps`, its form derived from the step's input — the timeline and assignments inline
from `inlines`, filters by status, route, unit, overdue tier and supervision, Excel export and
historical import). `shared_lists`: categories and the holiday table. `records`: supervision
bundles, notifications and events (read-only). `templates`: answer templates (答复模板).
"""

from suggestions.admin import outbox, records, shared_lists, suggestions, templates, units  # noqa: F401
