// Package jobstest runs the Inngest Dev Server that `make tools` builds into
// bin/inngest, for tests that run functions for real.
//
// Each [DevServer] listens on free loopback ports of its own, so tests can
// run side by side. The Dev Server also opens two gRPC listeners for
// Inngest Connect on the fixed ports 50052 and 50053, which no flag moves;
// a second Dev Server logs that it cannot bind them and carries on, which
// is harmless here because functions are served over HTTP.
package jobstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds the Dev Server's start and its first sync of the
// app.
const startTimeout = 90 * time.Second

// DevServer is a running Inngest Dev Server.
type DevServer struct {
	URL     string // such as http://127.0.0.1:41234
	bin     string
	logPath string
}

// Binary returns the path of bin/inngest in this module. It fails the test
// when the Dev Server has not been built.
func Binary(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("jobstest: %v", err)
	}
	bin := filepath.Join(root, "bin", "inngest")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("jobstest: the Inngest Dev Server is not built (%v): run `make tools` "+
			"(about 5 minutes the first time), or `make test`, which builds it", err)
	}
	return bin
}

// New returns a Dev Server, not started yet, on free loopback ports. Its
// URL is known at once, so the app can be configured with it before the
// Dev Server starts. It fails the test when bin/inngest is not built.
func New(t testing.TB) *DevServer {
	t.Helper()
	return &DevServer{
		URL:     "http://127.0.0.1:" + strconv.Itoa(FreePort(t)),
		bin:     Binary(t),
		logPath: filepath.Join(t.TempDir(), "inngest.log"),
	}
}

// Start starts the Dev Server and has it sync the app served at appURL,
// such as http://127.0.0.1:8080/api/inngest, once the app is up. The
// server and everything it started are stopped when the test ends, also
// when it fails; then its log is printed.
func (d *DevServer) Start(t testing.TB, appURL string) {
	t.Helper()
	port := strings.TrimPrefix(d.URL, "http://127.0.0.1:")

	logFile, err := os.Create(d.logPath)
	if err != nil {
		t.Fatalf("jobstest: %v", err)
	}
	defer logFile.Close()

	cmd := exec.Command(d.bin, "dev", "--no-discovery", "-u", appURL,
		"--host", "127.0.0.1", "--port", port,
		"--connect-gateway-port", strconv.Itoa(FreePort(t)),
		"--poll-interval", "2", "--retry-interval", "1", "--log-level", "warn")
	cmd.Dir = t.TempDir()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = ProcAttr()
	if err := cmd.Start(); err != nil {
		t.Fatalf("jobstest: start %s: %v", d.bin, err)
	}
	t.Cleanup(func() {
		StopGroup(t, cmd)
		if t.Failed() {
			t.Logf("Inngest Dev Server log (%s):\n%s", d.logPath, tail(d.logPath, 60))
		}
	})

	d.waitUp(t)
}

// waitUp waits until the Dev Server answers on its API.
func (d *DevServer) waitUp(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		resp, err := http.Get(d.URL + "/dev")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobstest: the Dev Server at %s did not start within %v: %v",
				d.URL, startTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitForFunctions waits until the Dev Server has synced functions with
// the given slugs, which are the app id, a dash and the function id.
func (d *DevServer) WaitForFunctions(t testing.TB, slugs ...string) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		have, err := d.functions()
		if err == nil && containsAll(have, slugs) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobstest: the Dev Server has functions %q (err %v), want %q", have, err, slugs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (d *DevServer) functions() ([]string, error) {
	resp, err := http.Get(d.URL + "/dev")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	var info struct {
		Functions []struct {
			Slug string `json:"slug"`
		} `json:"functions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		return nil, fmt.Errorf("decode /dev: %w", err)
	}
	slugs := make([]string, len(info.Functions))
	for i, f := range info.Functions {
		slugs[i] = f.Slug
	}
	return slugs, nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("jobstest: find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StopGroup stops a command started with its own process group, and
// everything it started: SIGTERM to the group, then SIGKILL after five
// seconds.
func StopGroup(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	// Children that ignored SIGTERM outlive their parent; make sure.
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Logf("jobstest: kill process group %d: %v", pgid, err)
	}
}

// moduleRoot finds the directory of this module's go.mod above the
// working directory, which for tests is their package's directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module github.com/marquee-hq/marquee\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the github.com/marquee-hq/marquee module")
		}
		dir = parent
	}
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()

	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// Run is a function run as the Dev Server reports it.
type Run struct {
	Status  string          `json:"status"` // "Running", "Completed", "Failed", ...
	EndedAt *time.Time      `json:"ended_at"`
	Output  json.RawMessage `json:"output"`
}

// WaitForRuns waits until the event that was sent with the given id has
// had n function runs, all ended, and returns them.
func (d *DevServer) WaitForRuns(t testing.TB, eventID string, n int) []Run {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		runs, err := d.runs(eventID)
		if err == nil && len(runs) >= n && allEnded(runs) {
			return runs
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobstest: event %s has runs %+v (err %v), want %d ended", eventID, runs, err, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// runs returns the runs of every event sent with id among the latest 100:
// an id sent twice is two events, and Inngest should run the second none.
func (d *DevServer) runs(eventID string) ([]Run, error) {
	var events []struct {
		InternalID string `json:"internal_id"`
		ID         string `json:"id"`
	}
	if err := d.getData("/v1/events?limit=100", &events); err != nil {
		return nil, err
	}

	var all []Run
	found := false
	for _, e := range events {
		if e.ID != eventID {
			continue
		}
		// The Dev Server caches this answer for 15 seconds by its URL; a
		// query parameter of our own makes each poll a new URL.
		var runs []Run
		path := fmt.Sprintf("/v1/events/%s/runs?poll=%d", e.InternalID, time.Now().UnixNano())
		if err := d.getData(path, &runs); err != nil {
			return nil, err
		}
		all, found = append(all, runs...), true
	}
	if !found {
		return nil, fmt.Errorf("no event %s yet", eventID)
	}
	return all, nil
}

// getData decodes the data field of a Dev Server API answer into v.
func (d *DevServer) getData(path string, v any) error {
	resp, err := http.Get(d.URL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(&struct {
		Data any `json:"data"`
	}{Data: v})
}

func allEnded(runs []Run) bool {
	for _, r := range runs {
		if r.EndedAt == nil {
			return false
		}
	}
	return true
}
