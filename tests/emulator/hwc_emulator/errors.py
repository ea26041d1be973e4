"""Error answers in each service's documented body shape."""


class ApiError(Exception):
    """An error answer: HTTP status, JSON body (or raw bytes) and extra headers."""

    def __init__(self, status, body, headers=None):
        super().__init__("%s %s" % (status, body))
        self.status = status
        self.body = body
        self.headers = headers or {}


def flat(status, code, message, **extra):
    """ROMA FDI and DRS: {"error_code": ..., "error_msg": ...}."""
    body = {"error_code": code, "error_msg": message}
    body.update(extra)
    return ApiError(status, body)


def roma_nested(status, code, message):
    """ROMA dispatch-plan API: {"code": <http status>, "reason": {"error_code", "error_msg"}}."""
    return ApiError(status, {"code": status, "reason": {"error_code": code, "error_msg": message}})


def vias(status, code, message, detail="", reason="", advice=""):
    return ApiError(status, {"error_code": code, "error_msg": message, "detail": detail, "params": [],
                             "reason": reason, "advice": advice})


def gateway(status, code, message, request_id=None, headers=None):
    body = {"error_code": code, "error_msg": message}
    if request_id:
        body["request_id"] = request_id
    return ApiError(status, body, headers)


def keystone(status, title, message):
    """IAM (keystone) shape; UNCONFIRMED in the reference, which assumes it."""
    return ApiError(status, {"error": {"code": status, "message": message, "title": title}})


# Codes used in several places.
ROMA_INVALID = ("FDI.3002", "Invalid parameters.")
ROMA_EMPTY_LIST = ("FDI.3150", "The task list is empty.")
ROMA_NO_TASK = ("FDI.3081", "The task does not exist.")
ROMA_NO_PLAN = ("FDI.3083", "One or more scheduled tasks are not configured with scheduled plans.")
ROMA_PROJECT = ("FDI.3039", "The project ID is empty or does not match the project ID in the URL.")
ROMA_INTERNAL = ("FDI.9999", "Network error.")
DRS_PARAM = ("DRS.M00200", "Parameter error.")
DRS_EMPTY = ("DRS.M00201", "The parameter %s is empty.")
DRS_INVALID = ("DRS.M00202", "The value of %s is invalid.")
DRS_PAGE = ("DRS.M00210", "Invalid page value.")
DRS_PAGE_LIMIT = ("DRS.M00211", "The page size exceeds the limit.")
DRS_NO_JOB = ("DRS.10000010", "Job does not exist, please check job ID.")
DRS_BUSY = ("DRS.M01504", "Another operation is being performed on the migration task or the migration task is "
                          "abnormal. Try again later.")
DRS_PROJECT = ("DRS.M00261", "Invalid project ID.")
DRS_INTERNAL = ("DRS.M00004", "Service abnormal.")
VIAS_INVALID = ("VIAS.00010001", "Invalid parameters.")
VIAS_NOT_FOUND = ("VIAS.00010002", "The object does not exist.")
VIAS_AUTH = ("VIAS.00010005", "Authorization failed.")
VIAS_INTERNAL = ("VIAS.00010006", "An internal error occurs.")
VIAS_NO_TASK = ("VIAS.00010007", "No task found for the task ID.")
