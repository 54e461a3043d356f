package dependency_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/marquee-hq/marquee/internal/dependency"
)

func TestUnavailable(t *testing.T) {
	t.Parallel()
	cause := fmt.Errorf("ping: %w", context.DeadlineExceeded)

	err := dependency.Unavailable(cause)
	if !errors.Is(err, dependency.ErrUnavailable) {
		t.Errorf("Unavailable(%v) = %v, want it to wrap ErrUnavailable", cause, err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Unavailable(%v) = %v, want it to keep the cause", cause, err)
	}
	if again := dependency.Unavailable(err); again != err {
		t.Errorf("Unavailable of a marked error = %v, want it unchanged (%v)", again, err)
	}
	if err := dependency.Unavailable(nil); err != nil {
		t.Errorf("Unavailable(nil) = %v, want nil", err)
	}
}
