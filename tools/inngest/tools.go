//go:build tools

// Package tools pins the Inngest Dev Server version that make tools builds.
package tools

import _ "github.com/inngest/inngest/cmd"
