"""Suggestion pages, one module per audience: `public` (the opinion forms, tracking and
published results), `deputy`, `officer` (the unit inbox and assignments), `staff` (one
suggestion's page and steps, 交办, the review queue, the supervision board), `notifications`
and `attachments` for everyone signed in; `helpers` holds what they share.

Every workflow step here calls the same service function as the API and the admin
(`suggestions.services`); a view only validates the form, calls the service, and shows the
service's refusal (a `WorkflowError` or a `ValidationError`) as a message or a form error.
"""
