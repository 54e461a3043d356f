// Command load puts a running Marquee server under a bounded load, prints
// throughput and latency percentiles, and checks in the server's database
// that no seat was held or sold twice and no booking holds only part of
// its seats. It exits with 1 when a rule broke or a request failed, and
// with 2 when the run could not be made.
//
// It sends only to loopback addresses. Start the server with the demo key
// trusted, an admin id for the run, and the public rate limit out of the
// way, then point the command at it and at its database (the embedded
// FerretDB's address is in the server's "started the embedded FerretDB"
// log line):
//
//	APP_ENV=development CLERK_DEV_KEYS=true ADMIN_USER_IDS=user_load_admin \
//	    RATE_LIMIT_PUBLIC=1000000 make run
//	make load LOADFLAGS='-mongodb-uri mongodb://127.0.0.1:PORT/'
//
// The booking rush comes first: -buyers buyers, each with a user id of
// their own, ask once each for -seats adjacent seats of one show, from
// -rush-workers workers. Then the read mix asks for the movies now
// showing, movie pages and seat maps. Each phase stops at its number of
// requests or its duration, whichever comes first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/loadgen"
)

// Exit codes.
const (
	exitBroken = 1 // a rule broke, or requests failed
	exitUsage  = 2 // the run could not be made
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command line's settings.
type options struct {
	target, dataDir, adminID string
	mongoURI, database       string
	timeout                  time.Duration
	seed                     uint64
	movies, showsPerMovie    int
	seatsPerBuyer            int
	rush, read               loadgen.Bounds
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.target, "target", "http://127.0.0.1:8080",
		"the server's base URL (loopback only)")
	fs.StringVar(&o.dataDir, "data", "./data", "the server's DATA_DIR, whose demo key signs tokens")
	fs.StringVar(&o.adminID, "admin", "user_load_admin", "a user id in the server's ADMIN_USER_IDS")
	fs.StringVar(&o.mongoURI, "mongodb-uri", "", "the server's database (loopback only; required)")
	fs.StringVar(&o.database, "database", "marquee", "the server's MONGODB_DATABASE")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "the longest one request may take")
	fs.Uint64Var(&o.seed, "seed", 0, "chooses the buyers' seats; 0 picks one")
	fs.IntVar(&o.movies, "movies", 5, "movies entered for the run")
	fs.IntVar(&o.showsPerMovie, "shows", 4, "shows scheduled for each movie")
	fs.IntVar(&o.rush.Requests, "buyers", 200, "buyers in the rush, one booking request each")
	fs.IntVar(&o.seatsPerBuyer, "seats", 2, "adjacent seats each buyer asks for")
	fs.IntVar(&o.rush.Workers, "rush-workers", 32, "booking requests in flight at once")
	fs.DurationVar(&o.rush.Duration, "rush-duration", 30*time.Second, "the longest the rush runs")
	fs.IntVar(&o.read.Requests, "reads", 3000, "requests in the read mix")
	fs.IntVar(&o.read.Workers, "read-workers", 16, "read requests in flight at once")
	fs.DurationVar(&o.read.Duration, "read-duration", 30*time.Second,
		"the longest the read mix runs")

	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if o.mongoURI == "" {
		return options{}, errors.New("-mongodb-uri is required: the check reads the server's " +
			"database; the embedded FerretDB's address is in the server's log " +
			"(\"started the embedded FerretDB ... uri=mongodb://127.0.0.1:PORT/\")")
	}
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitUsage
	}
	cfg, err := o.config(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitUsage
	}
	var disconnect func()
	cfg.DB, disconnect, err = loadgen.ConnectDB(ctx, o.mongoURI, o.database)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitUsage
	}
	defer disconnect()

	fmt.Fprintf(stdout, "load run %s against %s, seed %d, %s\n", cfg.RunID, cfg.Target,
		cfg.Seed, time.Now().UTC().Format(time.RFC3339))
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitUsage
	}
	return report(stdout, res)
}

// config turns the options into a run's configuration.
func (o options) config(stderr io.Writer) (loadgen.Config, error) {
	target, err := loadgen.ParseTarget(o.target)
	if err != nil {
		return loadgen.Config{}, err
	}
	key, _, err := clerk.LoadOrCreateDevKey(o.dataDir)
	if err != nil {
		return loadgen.Config{}, err
	}

	return loadgen.Config{
		Target:          target,
		Client:          loadgen.NewClient(max(o.rush.Workers, o.read.Workers), o.timeout),
		Signer:          key,
		AdminID:         o.adminID,
		RunID:           strconv.FormatInt(time.Now().Unix(), 36),
		Seed:            o.seed,
		Movies:          o.movies,
		ShowsPerMovie:   o.showsPerMovie,
		Rush:            o.rush,
		SeatsPerBuyer:   o.seatsPerBuyer,
		Read:            o.read,
		Progress:        stderr,
		ProgressInPlace: isTerminal(stderr),
	}, nil
}

// report prints the phases' figures and the check of the rush show, and
// returns the exit code.
func report(w io.Writer, res loadgen.Result) int {
	failed := 0
	for _, p := range []loadgen.Phase{res.Rush, res.Read} {
		fmt.Fprintln(w)
		if err := loadgen.WritePhase(w, p); err != nil {
			return exitUsage
		}
		failed += p.Errors()
		if hint := rateLimitHint(p); hint != "" {
			fmt.Fprintln(w, hint)
		}
	}

	fmt.Fprintln(w)
	violations := res.Violations()
	if err := loadgen.WriteCheck(w, res, violations); err != nil {
		return exitUsage
	}

	switch {
	case len(violations) > 0:
		return exitBroken
	case failed > 0:
		fmt.Fprintf(w, "%d requests failed\n", failed)
		return exitBroken
	}
	return 0
}

// rateLimitHint says how to lift the server's rate limits when a phase
// ran into them.
func rateLimitHint(p loadgen.Phase) string {
	if loadgen.Summarise(p.Samples).Statuses[http.StatusTooManyRequests] == 0 {
		return ""
	}
	return "429: the server's rate limits stopped requests; for a load run, start it with " +
		"RATE_LIMIT_PUBLIC=1000000 (per client address) and RATE_LIMIT_BOOKINGS above 1 " +
		"(per user)"
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
