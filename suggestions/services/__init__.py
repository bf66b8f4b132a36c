"""Writes for the 提-交-办-督-评 workflow: one function per step, in a module per stage.

Every step is keyword-only and atomic: it locks the suggestion row (and the assignment's),
asks `workflow.require` whether the user may take the step now (raising `InvalidTransition` or
`ActionNotPermitted` and changing nothing otherwise), changes the rows with
`save(update_fields=…)`, writes one immutable `Event`, and writes its notices (delivered by
e-mail/SMS after commit). The admin, the web pages, the API and the tasks all call these.

Use the object a service returns: the one passed in is not refreshed. Bad input raises
Django's `ValidationError` (with a field dict where it is about one field).

The modules, by stage: `intake` (提 and 梳理: submit, accept, decline, resolve on the spot,
merge, convert, escalate), `handling` (交 and 办: assign; the units' sign, return, contact,
reply), `oversight` (督: supervise, bundle, urge), `closing` (评: evaluate, close, feedback,
publish, follow-ups, notices read), `reminders` (the deadline sweep), `attachments`, `units`
(handling units), and `events` (the building blocks every step shares). Each workflow step
is declared once in `suggestions.steps.table`, which names its service here.
"""
