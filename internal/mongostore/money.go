package mongostore

import "github.com/marquee-hq/marquee/internal/money"

// moneyDoc is an amount as stored in shows, bookings and settlements.
type moneyDoc struct {
	Amount   int64  `bson:"amount"`
	Currency string `bson:"currency"`
}

func fromMoney(m money.Money) moneyDoc {
	return moneyDoc{Amount: m.Amount, Currency: string(m.Currency)}
}

func (d moneyDoc) toMoney() money.Money {
	return money.Money{Amount: d.Amount, Currency: money.Currency(d.Currency)}
}
