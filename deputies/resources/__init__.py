"""Excel and CSV in and out for deputies: the roster (`roster`, saved in bulk by
`roster_saving`, its cells in `cells`) and receptions (`receptions`)."""
