"""Excel and CSV in and out for handling units (`units`) and suggestions, the record book
(`suggestions`)."""
