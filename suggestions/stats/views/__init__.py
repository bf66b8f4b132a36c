"""The statistics pages for staff and leaders: the dashboard with its drill-down (市 → 县 → 乡镇 →
站点), the handling units' league table, stations and deputies (receptions, coverage, leaders'
visits), duty records and scores, the Excel workbook and the record books (一表两卡三簿).

Everything is scoped to the user's region: another region's page is a 404. The dashboard and
the workbook read the nightly snapshots (a constant number of queries per page); the charts are
SVG drawn here, so no chart library is loaded and the page works without JavaScript.
"""
