from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (at most 200), as the API contract fixes."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
