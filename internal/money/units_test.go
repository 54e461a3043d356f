package money_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/marquee-hq/marquee/internal/money"
)

func TestMajor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   money.Money
		want float64
	}{
		{money.Money{Amount: 1250, Currency: "usd"}, 12.5},
		{money.Money{Amount: 1999, Currency: "eur"}, 19.99},
		{money.Money{Amount: 0, Currency: "usd"}, 0},
		{money.Money{Amount: 1250, Currency: "jpy"}, 1250},
		{money.Money{Amount: 12505, Currency: "kwd"}, 12.505},
	}
	for _, tt := range tests {
		if got := tt.in.Major(); got != tt.want {
			t.Errorf("%+v.Major() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFromMajor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount  float64
		cur     money.Currency
		want    int64
		wantErr bool
	}{
		{12.5, "usd", 1250, false},
		{19.99, "usd", 1999, false},
		{0.1 + 0.2, "usd", 30, false},
		{1250, "jpy", 1250, false},
		{12.505, "kwd", 12505, false},
		{0, "usd", 0, false},
		{12.505, "usd", 0, true},
		{12.5, "jpy", 0, true},
		{-1, "usd", 0, true},
		{math.Inf(1), "usd", 0, true},
		{math.NaN(), "usd", 0, true},
		{2e12, "usd", 0, true},
	}
	for _, tt := range tests {
		got, err := money.FromMajor(tt.amount, tt.cur)
		switch {
		case tt.wantErr && !errors.Is(err, money.ErrInvalidAmount):
			t.Errorf("FromMajor(%v, %s) = %+v, %v; want ErrInvalidAmount", tt.amount, tt.cur,
				got, err)
		case !tt.wantErr && (err != nil || got != money.Money{Amount: tt.want, Currency: tt.cur}):
			t.Errorf("FromMajor(%v, %s) = %+v, %v; want %d %s", tt.amount, tt.cur, got, err,
				tt.want, tt.cur)
		}
	}
}

func ExampleFromMajor() {
	price, err := money.FromMajor(12.5, "usd")
	if err != nil {
		panic(err)
	}
	fmt.Println(price.Amount, price.Currency, price.Major())
	// Output: 1250 usd 12.5
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		m    money.Money
		want string
	}{
		{money.Money{Amount: 1250, Currency: "usd"}, "12.50 USD"},
		{money.Money{Amount: 5, Currency: "eur"}, "0.05 EUR"},
		{money.Money{Amount: -1250, Currency: "usd"}, "-12.50 USD"},
		{money.Money{Amount: 1250, Currency: "jpy"}, "1250 JPY"},
		{money.Money{Amount: 12345, Currency: "kwd"}, "12.345 KWD"},
	} {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("money.Money{%d, %s}.String() = %q, want %q", tc.m.Amount, tc.m.Currency, got, tc.want)
		}
	}
}
