def home(request):
    raise NotImplementedError


def agency_report_page(request, agency, year):
    raise NotImplementedError


def agency_report_download(request, agency, year, fmt):
    raise NotImplementedError
