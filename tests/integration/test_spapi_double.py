"""The double's schema checks are real: they reject what Amazon's models reject."""

from __future__ import annotations

from .spapi_double import Models


def test_models_reject_a_malformed_report(models: Models) -> None:
    assert models.response_errors("getReport", 200, {"reportId": "R1"})  # required fields
    assert models.response_errors(
        "getReport",
        200,
        {
            "reportId": "R1",
            "reportType": "X",
            "processingStatus": "SOMETHING",
            "createdTime": "2026-01-01T00:00:00Z",
        },
    )
    assert not models.response_errors(
        "getReport",
        200,
        {
            "reportId": "R1",
            "reportType": "X",
            "processingStatus": "DONE",
            "createdTime": "2026-01-01T00:00:00Z",
        },
    )


def test_models_check_dates_enums_and_undocumented_statuses(models: Models) -> None:
    bad_date = {
        "reportId": "R1",
        "reportType": "X",
        "processingStatus": "DONE",
        "createdTime": "yesterday",
    }
    assert models.response_errors("getReport", 200, bad_date)
    bad_payment = {
        "payload": {
            "Orders": [
                {
                    "AmazonOrderId": "1",
                    "PurchaseDate": "2026-01-01T00:00:00Z",
                    "LastUpdateDate": "2026-01-01T00:00:00Z",
                    "OrderStatus": "Pending",
                    "PaymentMethod": "Cash",
                }
            ]
        }
    }
    assert models.response_errors("getOrders", 200, bad_payment)
    assert models.response_errors("getOrders", 418, {})


def test_models_check_request_bodies(models: Models) -> None:
    assert models.request_errors("createReport", {"reportType": "X"})  # marketplaceIds missing
    assert not models.request_errors(
        "createReport", {"reportType": "X", "marketplaceIds": ["A1VC38T7YXB528"]}
    )
    assert models.request_errors("createRestrictedDataToken", {"restrictedResources": [{}]})
