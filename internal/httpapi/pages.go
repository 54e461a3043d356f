package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/marquee-hq/marquee/internal/page"
)

// pageRequest reads ?limit= (default 50, at most 200) and ?cursor= (the
// nextCursor of the previous page) of a list that comes in pages.
func pageRequest(r *http.Request) (page.Request, error) {
	q := r.URL.Query()
	req := page.Request{Limit: page.DefaultLimit}
	fields := map[string]string{}

	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > page.MaxLimit {
			fields["limit"] = fmt.Sprintf("must be a whole number from 1 to %d", page.MaxLimit)
		}
		req.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		c, err := page.ParseCursor(v)
		if err != nil {
			fields["cursor"] = "must be the nextCursor of a page of this list; " +
				"leave it out to start from the first page"
		}
		req.After = c
	}

	if len(fields) > 0 {
		return page.Request{}, invalidFields(fields)
	}
	return req, nil
}
