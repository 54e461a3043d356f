// Package dependency names the one failure that every layer of the server
// must recognise without knowing where it came from: something the server
// depends on, such as the database or Clerk's key server, is down or too
// slow to answer.
//
// Adapters mark such errors with [Unavailable] at their boundary; the HTTP
// layer answers them with 503 and readiness checks report them. Neither
// side imports the other.
package dependency

import (
	"errors"
	"fmt"
)

// ErrUnavailable marks an error caused by a dependency that is down or did
// not answer in time. The request may succeed when retried later. Check for
// it with errors.Is.
var ErrUnavailable = errors.New("a dependency is unavailable")

// Unavailable returns err marked with [ErrUnavailable], keeping err in the
// chain so that errors.Is and errors.As still find it. It returns nil for a
// nil err.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
