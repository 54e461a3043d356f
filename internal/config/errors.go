package config

import "strings"

// Problem is one thing wrong with one environment variable.
type Problem struct {
	Var    string // the variable's name, such as "BOOKING_HOLD"
	Reason string // what is wrong and what would be right
}

func (p Problem) String() string {
	return p.Var + ": " + p.Reason
}

// Error is returned by [Load] when the configuration is unusable. It holds
// every problem found, so one start-up attempt shows them all.
type Error struct {
	Problems []Problem
}

// Error returns one line per problem, each starting with the variable name.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
