//go:build linux

package quickshow_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/jobs/jobstest"
)

// browserTimeout bounds one run of Chromium, page calls included.
const browserTimeout = 2 * time.Minute

// TestBrowserCallsFromAnotherOrigin loads a page in headless Chromium that
// calls the surface with fetch, as the React client does, from an origin
// that CORS_ALLOWED_ORIGINS lists: public reads, the literal "Bearer null"
// of a signed-out client, and a signed-in booking. The browser must get
// every answer, after the preflights that the Authorization header and a
// JSON body cause. The same page from an origin not listed must get none.
func TestBrowserCallsFromAnotherOrigin(t *testing.T) {
	chromium := findChromium(t)
	allowed, foreign := newPageServer(t), newPageServer(t)
	var seen requestLog
	a := newAPI(t, apitest.Options{
		Limits: httpapi.Limits{CORSOrigins: []string{allowed.URL}},
		Wrap:   seen.wrap,
	})
	s := seeds{t, a}
	m := s.importMovie()
	sh := s.shows(m.ID, s.in(24*time.Hour))[0]
	page := pageConfig{API: a.URL + "/quickshow", MovieID: m.ID, ShowID: sh.ID,
		Token: a.Token("user_ines")}

	got := allowed.run(t, chromium, page)
	checkAllowed(t, got, sh.ID)
	for _, path := range []string{"/api/user/favorites", "/api/booking/create"} {
		if !seen.preflighted(allowed.URL, path) {
			t.Errorf("no CORS preflight of %s from %s reached the server", path, allowed.URL)
		}
	}

	got = foreign.run(t, chromium, page)
	for _, step := range []string{"shows", "favoritesSignedOut", "create"} {
		if got[step].Error == "" {
			t.Errorf("%s from the foreign origin %s: %+v, want fetch to fail", step, foreign.URL,
				got[step])
		}
	}
	if seen.sent(foreign.URL, http.MethodPost, "/api/booking/create") {
		t.Errorf("a booking from the foreign origin reached the server past its preflight")
	}
	a.CheckSeatsSoldOnce(t, sh.ID, occupied(t, a, sh.ID))
}

// checkAllowed checks what the page of the allowed origin got.
func checkAllowed(t *testing.T, got map[string]stepResult, showID string) {
	t.Helper()
	for step, r := range got {
		if r.Error != "" || r.Status != http.StatusOK {
			t.Errorf("%s: %+v, want an answer with status 200", step, r)
		}
	}
	for _, step := range []string{"shows", "showsBearerNull", "movie", "seats", "create",
		"myBookings", "seatsAfter"} {
		if got[step].Body["success"] != true {
			t.Errorf("%s: %v, want success true", step, got[step].Body)
		}
	}
	for _, step := range []string{"favoritesSignedOut", "isAdminSignedOut"} {
		msg, _ := got[step].Body["message"].(string)
		if got[step].Body["success"] != false || msg == "" {
			t.Errorf("%s with Bearer null: %v, want success false with a message", step,
				got[step].Body)
		}
	}
	if url, _ := got["create"].Body["url"].(string); url != apitest.ClientURL+"/my-bookings" {
		t.Errorf("create: url %q, want the client's bookings page", url)
	}
	taken, _ := got["seatsAfter"].Body["occupiedSeats"].([]any)
	if !slices.Equal(taken, []any{"A1", "A2"}) {
		t.Errorf("seats of show %s after booking: %v, want [A1 A2]", showID, taken)
	}
}

// findChromium returns Debian's Chromium, which `make test` installs when
// it is missing.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatal("chromium is not installed: `make chromium` (or `make test`) installs Debian's package")
	return ""
}

// pageConfig is what the page needs to know, written into it as JSON.
type pageConfig struct {
	API     string `json:"api"` // the surface's base URL, as VITE_BASE_URL
	MovieID string `json:"movieId"`
	ShowID  string `json:"showId"`
	Token   string `json:"token"`
}

// stepResult is what one call of the page got: an answer, or the error
// fetch threw.
type stepResult struct {
	Status int            `json:"status"`
	Body   map[string]any `json:"body"`
	Error  string         `json:"error"`
}

// pageServer serves the test page from an origin of its own.
//
// NOTE: Chromium's --dump-dom prints the DOM once the page has loaded,
// while the page's calls run after that. So the page holds its load with a
// parser-blocking script, /hold, which is answered only once the page has
// posted its results to /results; by then they are written in the DOM
// that Chromium prints.
type pageServer struct {
	*httptest.Server
	config  chan pageConfig
	results chan struct{}
}

func newPageServer(t *testing.T) *pageServer {
	t.Helper()
	p := &pageServer{config: make(chan pageConfig, 1), results: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.servePage)
	mux.HandleFunc("POST /results", func(w http.ResponseWriter, r *http.Request) {
		p.results <- struct{}{}
	})
	mux.HandleFunc("GET /hold", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-p.results:
		case <-r.Context().Done():
		case <-time.After(browserTimeout):
		}
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintln(w, "// results are in")
	})
	mux.HandleFunc("GET /favicon.ico", http.NotFound)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *pageServer) servePage(w http.ResponseWriter, r *http.Request) {
	cfg := <-p.config
	js, err := json.Marshal(cfg) // escapes <, > and &, so it is safe in a script
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTemplate.Execute(w, string(js))
}

// run loads the page in headless Chromium and returns what each call of
// it got, read from the DOM that Chromium prints.
func (p *pageServer) run(t *testing.T, chromium string, cfg pageConfig) map[string]stepResult {
	t.Helper()
	p.config <- cfg
	dir := t.TempDir()
	stdout, stderr := filepath.Join(dir, "dom.html"), filepath.Join(dir, "chromium.log")

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--no-first-run",
		"--disable-sync", "--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom",
		p.URL+"/")
	cmd.SysProcAttr = jobstest.ProcAttr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// Files, not pipes: a helper process that outlives Chromium cannot
	// keep Wait waiting for the pipes to close.
	cmd.Stdout, cmd.Stderr = createFile(t, stdout), createFile(t, stderr)

	err := cmd.Run()
	if cmd.Process != nil {
		// Helpers of Chromium's that are still running go with it.
		if kerr := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); kerr != nil &&
			!errors.Is(kerr, syscall.ESRCH) {
			t.Logf("kill chromium's process group: %v", kerr)
		}
	}
	dom, _ := os.ReadFile(stdout)
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", p.URL, err, tailOf(stderr, 20))
	}
	return readResults(t, dom, stderr)
}

func createFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

var resultsRE = regexp.MustCompile(`(?s)<pre id="results">(.*?)</pre>`)

func readResults(t *testing.T, dom []byte, logPath string) map[string]stepResult {
	t.Helper()
	m := resultsRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page wrote no results; the DOM was:\n%s\nchromium's log ends:\n%s",
			dom, tailOf(logPath, 20))
	}
	var out map[string]stepResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &out); err != nil {
		t.Fatalf("results %s: %v", m[1], err)
	}
	return out
}

func tailOf(path string, n int) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// requestLog records the requests that reach the API.
type requestLog struct {
	mu   sync.Mutex
	reqs []seenRequest
}

type seenRequest struct {
	origin, method, path string
	preflightHeaders     string // Access-Control-Request-Headers
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.reqs = append(l.reqs, seenRequest{origin: r.Header.Get("Origin"), method: r.Method,
			path: r.URL.Path, preflightHeaders: r.Header.Get("Access-Control-Request-Headers")})
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// preflighted reports whether a preflight from origin asked to send the
// Authorization header to the surface's path.
func (l *requestLog) preflighted(origin, path string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.reqs, func(r seenRequest) bool {
		return r.origin == origin && r.method == http.MethodOptions &&
			r.path == "/quickshow"+path && strings.Contains(r.preflightHeaders, "authorization")
	})
}

// sent reports whether a request from origin reached the surface's path.
func (l *requestLog) sent(origin, method, path string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.reqs, func(r seenRequest) bool {
		return r.origin == origin && r.method == method && r.path == "/quickshow"+path
	})
}

// pageTemplate is the test page: the client's calls, made with fetch, one
// after the other, each result written into the DOM.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>QuickShow calls</title></head>
<body>
<pre id="results"></pre>
<script>
const cfg = {{.}};
const results = {};

async function call(name, path, token, body) {
  const init = {headers: {}};
  if (token !== undefined) init.headers.Authorization = "Bearer " + token;
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    const r = await fetch(cfg.api + path, init);
    results[name] = {status: r.status, body: await r.json()};
  } catch (e) {
    results[name] = {error: String(e)};
  }
}

(async () => {
  await call("shows", "/api/show/all");
  await call("showsBearerNull", "/api/show/all", "null");
  await call("movie", "/api/show/" + cfg.movieId);
  await call("seats", "/api/booking/seats/" + cfg.showId);
  await call("favoritesSignedOut", "/api/user/favorites", "null");
  await call("isAdminSignedOut", "/api/admin/is-admin", "null");
  await call("create", "/api/booking/create", cfg.token,
    {showId: cfg.showId, selectedSeats: ["A1", "A2"]});
  await call("myBookings", "/api/user/bookings", cfg.token);
  await call("seatsAfter", "/api/booking/seats/" + cfg.showId);
  document.getElementById("results").textContent = JSON.stringify(results);
  await fetch("/results", {method: "POST", body: "{}"});
})();
</script>
<script src="/hold"></script>
</body></html>
`))
