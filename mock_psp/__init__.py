"""A mock payment provider for the demo and the tests: `python -m mock_psp`.

It speaks the part of Mollie's Payments API v2 the portal uses (create and get a payment,
refund it, with idempotency keys and Bearer keys starting test_) and shows a checkout page
where the tester picks what happens: paid, cancelled, expired, failed, or paid with the
bank's confirmation (and so the webhook) coming late. Webhooks are posted to the portal
like Mollie's (an id only, retried while the portal does not answer 200). /refunds lists
the refunds. Everything is kept in memory; it is never mounted inside the portal.
"""
