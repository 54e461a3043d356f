package config

import "log/slog"

// Secret is a configuration value that must not be printed: an API key, a
// password, a signing secret. It formats, marshals and logs as "set" or
// "unset", so a secret cannot leak through fmt, encoding/json or log/slog.
// [Secret.Reveal] returns the value for the one place that needs it.
type Secret string

// Reveal returns the secret value itself.
func (s Secret) Reveal() string {
	return string(s)
}

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool {
	return s != ""
}

// String returns "set" or "unset", never the value.
func (s Secret) String() string {
	return presence(s.IsSet())
}

// GoString masks the value for the %#v verb as well.
func (s Secret) GoString() string {
	return s.String()
}

// MarshalText masks the value in encoding/json and other text encoders.
func (s Secret) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}

// LogValue masks the value in log/slog.
func (s Secret) LogValue() slog.Value {
	return slog.StringValue(s.String())
}
