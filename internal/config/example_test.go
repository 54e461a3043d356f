package config_test

import (
	"fmt"

	"github.com/marquee-hq/marquee/internal/config"
)

func ExampleLoad() {
	env := map[string]string{
		"APP_ENV":      "development",
		"PORT":         "http",
		"BOOKING_HOLD": "ten",
	}
	lookup := func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}

	_, err := config.Load(lookup)
	fmt.Println(err)
	// Output:
	// PORT: "http" is not a whole number
	// BOOKING_HOLD: "ten" is not a duration such as 10m
}
