package favorite_test

import (
	"os"
	"testing"

	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }
