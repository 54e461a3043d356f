// Package e2e holds end-to-end tests: they build the server binary, start
// it and the Inngest Dev Server (bin/inngest, built by `make tools`) on free
// loopback ports, and drive them only over HTTP, as Clerk and the React
// client would. They run in `make test`; a missing Dev Server fails them.
package e2e
