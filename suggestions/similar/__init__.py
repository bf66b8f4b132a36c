"""Similar items (并单) and the suggested lead unit, read from this deployment's own data.

- `text.py`: Chinese text to terms (character bigrams over a small synonym table), no model.
- `search.py`: candidates by an index (PostgreSQL: GIN over the stored terms; SQLite: a bounded
  scan of the area), scored with reasons.
- `lead_units.py`: the three units most likely to lead, from similar items' history.
- `public.py`: the redacted view a voter sees, and following an item instead of filing again.
"""
