package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/jobs/jobstest"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// adminID is the Clerk id of the admin that ADMIN_USER_IDS names, who sets
// up movies and shows.
const adminID = "user_2pE2eAdmin000000000000"

// database is the name of the server's database (MONGODB_DATABASE).
const database = "marquee_e2e"

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// serverBinary builds ./cmd/server once per test process.
func serverBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "marquee-e2e-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "server"), "./cmd/server")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/server: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "server")
}

// stack is the server binary, with its embedded database, and the Inngest
// Dev Server, both running on loopback ports of their own.
type stack struct {
	URL    string // the server, such as http://127.0.0.1:41234
	secret string // CLERK_WEBHOOK_SECRET
	dev    *jobstest.DevServer
	key    *clerk.DevKey // signs session tokens the server accepts
	db     *mongo.Database

	logPath string // the server's output
}

// startStack starts the Dev Server and the server, configured as `make run`
// configures them but on free ports and in a temporary DATA_DIR, waits
// until the Dev Server has synced the server's functions, and connects to
// the server's embedded database. Both processes are stopped when the test
// ends, also when it fails. extraEnv adds or overrides variables.
func startStack(t *testing.T, extraEnv ...string) *stack {
	t.Helper()
	bin := serverBinary(t)
	dev := jobstest.New(t)
	dataDir := t.TempDir()
	key, _, err := clerk.LoadOrCreateDevKey(dataDir)
	if err != nil {
		t.Fatalf("LoadOrCreateDevKey: %v", err)
	}

	port := strconv.Itoa(jobstest.FreePort(t))
	s := &stack{URL: "http://127.0.0.1:" + port, secret: webhooktest.NewSecret(), dev: dev, key: key}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"APP_ENV=development",
		"PORT=" + port,
		"DATA_DIR=" + dataDir,
		"MONGODB_URI=",
		"MONGODB_DATABASE=" + database,
		"INNGEST_DEV=1",
		"INNGEST_BASE_URL=" + dev.URL,
		"CLERK_WEBHOOK_SECRET=" + s.secret,
		"CLERK_DEV_KEYS=true",
		"ADMIN_USER_IDS=" + adminID,
		"LOG_LEVEL=info",
	}
	env = append(env, extraEnv...)
	s.logPath = filepath.Join(t.TempDir(), "server.log")
	startServer(t, bin, env, s.logPath)
	s.waitHealthy(t, s.logPath)

	dev.Start(t, s.URL+"/api/inngest")
	dev.WaitForFunctions(t, "marquee-sync-clerk-user", "marquee-delete-clerk-user")
	s.db = connectDB(t, s.logPath)
	return s
}

// startServer starts the server binary in a process group of its own, in
// an empty directory so that no .env file is read, and returns its command.
func startServer(t *testing.T, bin string, env []string, logPath string) *exec.Cmd {
	t.Helper()
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	cmd := exec.Command(bin)
	cmd.Dir = t.TempDir()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = jobstest.ProcAttr()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		jobstest.StopGroup(t, cmd)
		if t.Failed() {
			t.Logf("server log (%s):\n%s", logPath, tail(logPath, 80))
		}
	})
	return cmd
}

// logged reports whether the server's log holds text.
func (s *stack) logged(text string) bool {
	b, err := os.ReadFile(s.logPath)
	return err == nil && bytes.Contains(b, []byte(text))
}

func (s *stack) waitHealthy(t *testing.T, logPath string) {
	t.Helper()
	waitFor(t, time.Minute, "the server to answer /healthz", func() bool {
		resp, err := http.Get(s.URL + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// ferretURI finds the embedded database's address in the server's log.
var ferretURI = regexp.MustCompile(`uri=(mongodb://[^\s"]+)`)

// connectDB connects to the server's embedded database, whose address the
// server logs when it starts it.
func connectDB(t *testing.T, logPath string) *mongo.Database {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	m := ferretURI.FindSubmatch(b)
	if m == nil {
		t.Fatalf("the server log names no embedded database uri")
	}

	client, err := mongostore.Connect(context.Background(), string(m[1]))
	if err != nil {
		t.Fatalf("connect to the server's database: %v", err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client.Database(database)
}

// postClerk posts a Clerk fixture to the webhook route, signed now as
// delivery id, and returns the status and the answer's status or code.
func (s *stack) postClerk(t testing.TB, id string, body []byte) (int, string) {
	t.Helper()
	req := webhooktest.NewRequest(t, s.URL+"/api/webhooks/clerk", s.secret, id, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /api/webhooks/clerk: %v", err)
	}
	defer resp.Body.Close()

	var answer struct {
		Status any    `json:"status"`
		Code   string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&answer)
	if resp.StatusCode >= 400 {
		return resp.StatusCode, answer.Code
	}
	return resp.StatusCode, fmt.Sprint(answer.Status)
}

// call sends a JSON request to the API as userID (none if empty) and
// decodes the answer into out, unless out is nil. It returns the status.
func (s *stack) call(t testing.TB, method, path, userID string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if userID != "" {
		req.Header.Set("Authorization", "Bearer "+s.token(t, userID))
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// token mints a session token for userID that the server accepts.
func (s *stack) token(t testing.TB, userID string) string {
	t.Helper()
	tok, err := s.key.Mint(clerk.DevClaims{UserID: userID})
	if err != nil {
		t.Fatalf("mint token for %s: %v", userID, err)
	}
	return tok
}

// waitFor polls cond every 50 ms until it holds, or fails the test.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
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
