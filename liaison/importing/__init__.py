"""Excel and CSV in and out (django-import-export): what every app's resources build on.

Conventions shared by all resources (regions, stations, deputies, receptions, units):

- Column headers are the Chinese verbose names; a file is read by its headers, so columns
  may come in any order and columns that are left out are left alone.
- Rows are numbered as the spreadsheet shows them: the header is line 1, the first data row
  is 第 2 行. Empty lines are ignored but still counted.
- Choices are written with their Chinese labels (男、女；联络站……); the English values of
  the API are accepted too. Yes/no columns take 是/否 (also 1/0, √, true/false). Dates are
  2024-01-31 (also 2024/1/31, 2024年1月31日, or a date cell); times are 09:30.
- Regions are referred to by their statistical code (区划代码). Another object is referred
  to by its name: a bare name must point at exactly one object in the importer's region,
  preferring objects on the row's own line of regions (the row's region, its ancestors and
  its descendants); when a name is shared, write 名称#编号 (the object's ID). Exports write
  the bare name whenever that is unambiguous, else 名称#编号.
- Lists inside one cell are separated by ";" (or "；").
- An import is all or nothing: any bad row rolls the whole file back, and every problem is
  reported as 第 N 行「列名」：说明. Rows outside the importer's region are bad rows.
- Importing an exported file unchanged changes nothing (every row is reported as skipped).
- Exports write text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
  with a leading `'` and drop control characters (`liaison.exports.export_cell`, applied in
  `LiaisonResource.export_resource`); imports read the `'` back off and drop control
  characters too (`cells.cell_text`).

- A file is bounded before it is parsed (size; for xlsx the unpacked size and compression
  ratio from the zip directory; rows; columns): past a limit it is refused as a whole.
- A confirmed file of more than `IMPORT_BACKGROUND_ROWS` data rows is imported by the
  Celery worker, all or nothing as in the request; the admin shows the job's page meanwhile.

Modules: `cells` (reading a cell), `widgets` (a column's type), `references` (名称 / 名称#编号),
`resources` (the base resource, `LiaisonResource`), `errors` (an import's problems as lines),
`limits` (how big a file may be), `formats` (the admin's xlsx and csv, reading within the limits),
`background` (a large confirmed import run by the Celery worker as an `ImportJob`).
Import each name from the module that holds it.
"""
