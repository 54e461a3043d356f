// Package money holds amounts of money in a currency's minor unit.
package money

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrInvalidCurrency is returned by [ParseCurrency] for anything that is not a
// three-letter lower-case ISO 4217 code.
var ErrInvalidCurrency = errors.New("currency must be a three-letter lower-case ISO 4217 code")

// Currency is a lower-case ISO 4217 code such as "usd".
type Currency string

// ParseCurrency checks that s has the shape of a lower-case ISO 4217 code.
func ParseCurrency(s string) (Currency, error) {
	if len(s) != 3 {
		return "", ErrInvalidCurrency
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return "", ErrInvalidCurrency
		}
	}
	return Currency(s), nil
}

// Money is an amount in the minor unit of its currency: 1250 usd is $12.50.
type Money struct {
	Amount   int64
	Currency Currency
}

// Times returns m multiplied by n, as when n seats are bought at one price.
func (m Money) Times(n int) Money {
	return Money{Amount: m.Amount * int64(n), Currency: m.Currency}
}

// String formats m for people with as many decimal places as its currency
// has: "12.50 USD", "1250 JPY".
func (m Money) String() string {
	sign := ""
	amount := m.Amount
	if amount < 0 {
		sign, amount = "-", -amount
	}
	code := strings.ToUpper(string(m.Currency))
	exp := m.Currency.Exponent()
	if exp == 0 {
		return fmt.Sprintf("%s%d %s", sign, amount, code)
	}
	unit := int64(math.Pow10(exp))
	return fmt.Sprintf("%s%d.%0*d %s", sign, amount/unit, exp, amount%unit, code)
}
