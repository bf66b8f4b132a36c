"""The accounts API: token, the caller (`me/`) and accounts (`users/`)."""
