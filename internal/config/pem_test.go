package config_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
)

func publicKeyPEM(tb testing.TB, key any) string {
	tb.Helper()

	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		tb.Fatalf("MarshalPKIXPublicKey: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestLoadClerkJWTKeyForms(t *testing.T) {
	t.Parallel()

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	want := publicKeyPEM(t, &rsaKey.PublicKey)
	block, _ := pem.Decode([]byte(want))

	forms := map[string]string{
		"PEM":                  want,
		"PEM with \\n escapes": strings.ReplaceAll(strings.TrimSpace(want), "\n", `\n`),
		"dashboard body only":  base64.StdEncoding.EncodeToString(block.Bytes),
	}
	for name, value := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			got := mustLoad(t, devEnv(map[string]string{"CLERK_JWT_KEY": value})).Clerk.JWTKey
			if got != want {
				t.Errorf("Load(CLERK_JWT_KEY=%q).Clerk.JWTKey = %q, want %q", value, got, want)
			}
		})
	}

	t.Run("not RSA", func(t *testing.T) {
		t.Parallel()

		ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatalf("GenerateKey: %v", err)
		}
		got := problemVars(problems(t, devEnv(map[string]string{
			"CLERK_JWT_KEY": publicKeyPEM(t, &ecKey.PublicKey),
		})))
		if len(got) != 1 || got[0] != "CLERK_JWT_KEY" {
			t.Errorf("Load(CLERK_JWT_KEY=<EC key>) problems for %v, want [CLERK_JWT_KEY]", got)
		}
	})
}
