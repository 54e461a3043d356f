// Command server is the movie ticket booking back end: the REST API, the
// Clerk and Stripe webhooks and the Inngest functions, in one process.
//
// With MONGODB_URI empty it starts an embedded FerretDB under DATA_DIR, so
// `make run` needs nothing installed. See README.md for configuration.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "time/tzdata" // THEATER_TIMEZONE must load on machines without zoneinfo
)

func main() {
	healthcheck := flag.Bool("healthcheck", false,
		"ask the server on 127.0.0.1:$PORT for /healthz and exit 0 when it answers 200")
	flag.Parse()

	if *healthcheck {
		os.Exit(checkHealth(os.Getenv("PORT")))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, os.LookupEnv, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// checkHealth is the container health check: distroless images have no
// curl, so the binary asks itself.
func checkHealth(port string) int {
	if port == "" {
		port = "8080"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthcheck: status", resp.StatusCode)
		return 1
	}
	return 0
}
