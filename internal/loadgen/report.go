package loadgen

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WritePhase writes a phase's figures as a table: one row per route and
// one for the whole phase, then the answers by status.
func WritePhase(w io.Writer, p Phase) error {
	total := Summarise(p.Samples)
	fmt.Fprintf(w, "%s: %d requests in %.2fs from %d workers, %.1f requests/s, %d errors\n",
		p.Name, total.Requests, p.Elapsed.Seconds(), p.Workers,
		Throughput(total.Requests, p.Elapsed), p.Errors())

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\trequests\tp50\tp90\tp99\tmax\t")
	byRoute := map[string][]Sample{}
	for _, s := range p.Samples {
		byRoute[s.Route] = append(byRoute[s.Route], s)
	}
	for _, route := range slices.Sorted(maps.Keys(byRoute)) {
		writeStatsRow(tw, route, Summarise(byRoute[route]))
	}
	if len(byRoute) > 1 {
		writeStatsRow(tw, "all", total)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	_, err := fmt.Fprintf(w, "answers by status: %s\n", statusLine(total, p.Expected))
	return err
}

func writeStatsRow(w io.Writer, name string, s Stats) {
	fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t\n", name, s.Requests,
		ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max))
}

// ms formats d in milliseconds, such as "12.3ms".
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}

// statusLine lists the statuses with their counts, marking those that are
// errors, such as "201 ×48, 409 ×152, 503 ×2 (error)".
func statusLine(s Stats, expected []int) string {
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(s.Statuses)) {
		part := fmt.Sprintf("%d %s ×%d", status, http.StatusText(status), s.Statuses[status])
		if status == 0 {
			part = fmt.Sprintf("no answer ×%d (%s)", s.Statuses[0], failureList(s.Failures))
		}
		if !slices.Contains(expected, status) {
			part += " (error)"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func failureList(failures map[string]int) string {
	var parts []string
	for _, reason := range slices.Sorted(maps.Keys(failures)) {
		parts = append(parts, fmt.Sprintf("%s ×%d", reason, failures[reason]))
	}
	return strings.Join(parts, ", ")
}

// WriteCheck writes what the database held about the run's show and the
// violations found in it.
func WriteCheck(w io.Writer, res Result, vs []Violation) error {
	s := res.Stored
	live := map[string]StoredBooking{}
	for _, b := range s.Bookings {
		if s.live(b.ID, b.HoldExpiresAt, res.SeatMapAt) {
			live[b.ID] = b
		}
	}
	wins, losses := 0, 0
	for _, an := range res.Answers {
		switch an.Status {
		case http.StatusCreated:
			wins++
		case http.StatusConflict:
			losses++
		}
	}
	fmt.Fprintf(w, "database: show %s has %d of %d seats taken by %d live bookings "+
		"(%d claims, %d settlements); %d buyers got seats, %d were told they were taken\n",
		res.ShowID, len(seatsOf(live)), res.Capacity, len(live), len(s.Claims), len(s.Outcomes),
		wins, losses)

	if len(vs) == 0 {
		_, err := fmt.Fprintln(w, "invariants: OK: no seat held or sold twice, "+
			"no partial booking, "+
			"answers and seat map agree with the database")
		return err
	}
	fmt.Fprintf(w, "invariants: BROKEN, %d violations:\n", len(vs))
	for _, v := range vs {
		fmt.Fprintf(w, "  %s\n", v)
	}
	return nil
}
