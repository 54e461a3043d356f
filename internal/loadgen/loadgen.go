// Package loadgen puts a running server under a bounded load and checks
// that the booking rules held: no seat held or sold twice, no booking
// holding only part of its seats.
//
// A run has two phases. The booking rush has many buyers, each with a
// user id of their own, ask at once for overlapping seats of one show;
// every buyer asks once, and each answer must be 201 or 409. The read mix
// then asks for what a browsing visitor asks for: the movies now showing,
// movie pages and seat maps, each of which must answer 200. Both phases
// are bounded in requests and in time, and send only to loopback
// addresses. Before them, an admin (a user id listed in the server's
// ADMIN_USER_IDS) enters movies and schedules their shows through the API.
// Between them, the rush show's seat map is read through the API and its
// documents from the database, for [Result.Violations] to judge.
//
// Session tokens are minted with the server's demo key, so the server must
// run with APP_ENV=development, CLERK_DEV_KEYS=true and the DATA_DIR whose
// key the run signs with.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// Signer mints session tokens the server accepts. *clerk.DevKey is one.
type Signer interface {
	Mint(c clerk.DevClaims) (string, error)
}

// Config describes a load run.
type Config struct {
	Target  *url.URL     // the server, from ParseTarget
	Client  *http.Client // from NewClient
	Signer  Signer
	AdminID string // listed in the server's ADMIN_USER_IDS
	// DB is the server's database, from ConnectDB.
	DB *mongo.Database

	// RunID tells this run's movies and buyers from those of other runs
	// against the same database.
	RunID string
	// Seed chooses the seats each buyer asks for.
	Seed uint64

	Movies        int // movies entered for the run
	ShowsPerMovie int // shows scheduled for each; the rush is on the first

	Rush          Bounds // Requests is the number of buyers
	SeatsPerBuyer int
	Read          Bounds

	// Progress, when set, receives a progress line while a phase runs,
	// rewritten in place when ProgressInPlace is set (a terminal).
	Progress        io.Writer
	ProgressInPlace bool
}

func (c Config) validate() error {
	var errs []error
	if c.Target == nil || c.Client == nil || c.Signer == nil || c.DB == nil {
		errs = append(errs, errors.New("target, client, signer and database are required"))
	}
	if c.AdminID == "" || c.RunID == "" {
		errs = append(errs, errors.New("admin id and run id are required"))
	}
	if c.Movies < 1 || c.ShowsPerMovie < 1 || c.SeatsPerBuyer < 1 {
		errs = append(errs,
			errors.New("movies, shows per movie and seats per buyer must be positive"))
	}
	errs = append(errs, c.Rush.validate("rush"), c.Read.validate("read mix"))
	return errors.Join(errs...)
}

// Result is what a load run did and saw.
type Result struct {
	Rush Phase
	Read Phase

	// ShowID is the show of the rush, with Capacity seats.
	ShowID   string
	Capacity int
	// Answers are the buyers' answers that came, one per buyer.
	Answers []Answer
	// SeatMap is the seats the API showed taken once the rush was over,
	// at SeatMapAt, and Stored what the database held about the show
	// right after.
	SeatMap   []string
	SeatMapAt time.Time
	Stored    Stored
}

// Violations checks the rush show against the booking rules (see Check),
// as it was when the rush was over.
func (r Result) Violations() []Violation {
	return Check(r.Stored, r.Answers, r.SeatMap, r.SeatMapAt)
}

// Answer is what the server told one buyer of the rush.
type Answer struct {
	UserID    string
	Seats     []string // the seats asked for
	Status    int
	BookingID string // when Status is 201
}

// Run sets up movies and shows, runs the booking rush, reads the rush
// show's seat map and documents, and then runs the read mix. The seat map
// and the documents are read together, before the read mix, so that holds
// running out later cannot tell them apart. Run fails when the run cannot
// be set up or when ctx is cancelled; answers that break the rules are in
// the Result, for the caller to judge.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, fmt.Errorf("load run: %w", err)
	}
	a := api{base: cfg.Target, client: cfg.Client}
	prog := &progress{w: cfg.Progress, interval: time.Second, inPlace: cfg.ProgressInPlace}

	cat, err := setUp(ctx, a, cfg)
	if err != nil {
		return Result{}, fmt.Errorf("set up: %w", err)
	}
	rush := cat.rushShow()
	res := Result{ShowID: rush.ID, Capacity: rush.Layout.capacity()}

	res.Rush, res.Answers, err = runRush(ctx, a, cfg, rush, prog)
	if err != nil {
		return res, fmt.Errorf("booking rush: %w", err)
	}
	res.SeatMapAt = time.Now()
	res.SeatMap, err = seatMap(ctx, a, rush.ID)
	if err != nil {
		return res, fmt.Errorf("seat map after the rush: %w", err)
	}
	res.Stored, err = ReadStored(ctx, cfg.DB, rush.ID)
	if err != nil {
		return res, fmt.Errorf("read show %s: %w", rush.ID, err)
	}

	res.Read = runReadMix(ctx, a, cfg, cat, prog)
	return res, ctx.Err()
}
