package money

import (
	"errors"
	"math"
)

// ErrInvalidAmount is returned by [FromMajor] for an amount that is not a
// finite, non-negative number with at most as many decimal places as the
// currency's minor unit has.
var ErrInvalidAmount = errors.New("amount must be a non-negative number with no more decimal " +
	"places than the currency has")

// maxMajor bounds the amounts [FromMajor] takes, so that every one of them
// converts to minor units exactly.
const maxMajor = 1e12

// Exponent returns how many decimal places the currency's minor unit has:
// 2 for most currencies (100 cents make a dollar), 0 for those without a
// minor unit such as the yen, 3 for those counted in thousandths such as the
// Kuwaiti dinar. These are the exponents Stripe reads amounts with.
func (c Currency) Exponent() int {
	switch c {
	case "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
		"vuv", "xaf", "xof", "xpf":
		return 0
	case "bhd", "jod", "kwd", "omr", "tnd":
		return 3
	}
	return 2
}

// Major returns the amount in the currency's major unit: 12.5 for 1250 usd,
// 1250 for 1250 jpy.
func (m Money) Major() float64 {
	return float64(m.Amount) / math.Pow10(m.Currency.Exponent())
}

// FromMajor returns amount major units of c as Money: 1250 usd for 12.5.
// It fails with [ErrInvalidAmount] for a negative, infinite or huge amount,
// or one with more decimal places than c has, such as 12.505 usd.
func FromMajor(amount float64, c Currency) (Money, error) {
	if math.IsNaN(amount) || amount < 0 || amount > maxMajor {
		return Money{}, ErrInvalidAmount
	}
	minor := amount * math.Pow10(c.Exponent())
	rounded := math.Round(minor)
	// Decimal fractions such as 19.99 have no exact binary form; what is
	// left after rounding is noise far below one minor unit, or a real
	// extra decimal place.
	if math.Abs(minor-rounded) > 1e-6 {
		return Money{}, ErrInvalidAmount
	}
	return Money{Amount: int64(rounded), Currency: c}, nil
}
