package webhook

// DeliveryCounter counts what became of each delivery; the server's metrics
// registry is one.
type DeliveryCounter interface {
	// WebhookDelivery records one delivery from source ("clerk",
	// "stripe"): "accepted", "duplicate", "ignored", or the code of the
	// problem it was answered with, such as "invalid_signature".
	WebhookDelivery(source, result string)
}

// noCounter counts nothing; it stands in when no counter is given.
type noCounter struct{}

func (noCounter) WebhookDelivery(string, string) {}

// counterOr returns c, or one that counts nothing when c is nil.
func counterOr(c DeliveryCounter) DeliveryCounter {
	if c == nil {
		return noCounter{}
	}
	return c
}

// countedAs is the result a delivery is counted under.
func countedAs(res result, err error) string {
	if err != nil {
		return toProblem(err).Code
	}
	return string(res)
}
