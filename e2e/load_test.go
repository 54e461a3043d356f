package e2e

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/loadgen"
)

// TestShortLoadRun runs the load generator of cmd/load for a few seconds
// against the server binary: a booking rush of 60 buyers asking for three
// seats each of one 90-seat show, then 200 reads. It fails on a broken
// booking rule or a failed request, never on speed: the bounds in time are
// generous and no figure is compared. The workers are few because the
// embedded database stalls for seconds when two cores are overloaded, and
// the booking service gives up abandoning a lost booking after 5 seconds.
//
// The stack keeps the default public rate limit of 300 requests a minute
// per address, which the 200 reads and one seat map stay under.
func TestShortLoadRun(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	target, err := loadgen.ParseTarget(s.URL)
	if err != nil {
		t.Fatal(err)
	}

	cfg := loadgen.Config{
		Target:        target,
		Client:        loadgen.NewClient(16, 30*time.Second),
		Signer:        s.key,
		AdminID:       adminID,
		DB:            s.db,
		RunID:         "e2e",
		Seed:          1,
		Movies:        3,
		ShowsPerMovie: 3,
		Rush:          loadgen.Bounds{Requests: 60, Duration: time.Minute, Workers: 8},
		SeatsPerBuyer: 3,
		Read:          loadgen.Bounds{Requests: 200, Duration: time.Minute, Workers: 4},
	}
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("load run: %v", err)
	}

	var out bytes.Buffer
	for _, p := range []loadgen.Phase{res.Rush, res.Read} {
		if err := loadgen.WritePhase(&out, p); err != nil {
			t.Fatal(err)
		}
		if n := p.Errors(); n > 0 {
			t.Errorf("%s: %d requests failed", p.Name, n)
		}
	}
	violations := res.Violations()
	if err := loadgen.WriteCheck(&out, res, violations); err != nil {
		t.Fatal(err)
	}
	t.Logf("load run:\n%s", out.String())
	for _, v := range violations {
		t.Errorf("%s", v)
	}
	checkSomeWonSomeLost(t, res)
}

// checkSomeWonSomeLost fails unless the rush had winners and, with 180
// seats asked for of 90, losers.
func checkSomeWonSomeLost(t *testing.T, res loadgen.Result) {
	t.Helper()
	won, lost := 0, 0
	for _, an := range res.Answers {
		switch an.Status {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won == 0 || lost == 0 {
		t.Errorf("of %d buyers asking for 180 seats of 90, %d won and %d lost; want some of each",
			len(res.Answers), won, lost)
	}
}
