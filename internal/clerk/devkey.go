package clerk

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/go-jose/go-jose/v3"
	"github.com/go-jose/go-jose/v3/jwt"
)

// DevIssuer is the iss claim of every token signed with a dev key, and the
// only one a [Verifier] accepts from such a token.
const DevIssuer = "https://dev.local"

// DefaultDevTokenLifetime is how long a dev token lives unless
// [DevClaims.Lifetime] says otherwise.
const DefaultDevTokenLifetime = 24 * time.Hour

// Where a dev key pair lives, under the data directory.
const (
	devKeyDir      = "devtoken"
	devPrivateFile = "private.pem"
	devPublicFile  = "public.pem"
	devKeyBits     = 2048
)

// DevKey is a locally made RSA key pair that signs tokens in the shape of
// Clerk's session tokens, for demos on machines with no Clerk account.
type DevKey struct {
	// ID is the kid header of the tokens it signs, derived from the public
	// key so that a [Verifier] can tell them from Clerk's.
	ID string
	// PublicKeyPath is the file holding the PEM public key.
	PublicKeyPath string

	private *rsa.PrivateKey
}

// DevClaims say whom a dev token is for.
type DevClaims struct {
	UserID          string        // sub; required
	SessionID       string        // sid; a random "sess_dev_…" id if empty
	AuthorizedParty string        // azp; left out if empty
	IssuedAt        time.Time     // iat and nbf; now if zero
	Lifetime        time.Duration // from IssuedAt to exp; DefaultDevTokenLifetime if zero
}

// LoadOrCreateDevKey loads the dev key pair under dataDir/devtoken, or makes
// one the first time: the private key readable by its owner only, the public
// key beside it. created reports whether the pair is new.
func LoadOrCreateDevKey(dataDir string) (key *DevKey, created bool, err error) {
	dir := filepath.Join(dataDir, devKeyDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create dev key directory: %w", err)
	}

	private, err := readPrivateKey(filepath.Join(dir, devPrivateFile))
	if errors.Is(err, fs.ErrNotExist) {
		private, created, err = createPrivateKey(filepath.Join(dir, devPrivateFile))
	}
	if err != nil {
		return nil, false, err
	}

	key, err = newDevKey(dir, private)
	if err != nil {
		return nil, false, err
	}
	return key, created, nil
}

// DevPublicKeyPEM reads the PEM public key of the dev key pair under
// dataDir/devtoken, for [Options.DevKeyPEM]. It fails, wrapping
// fs.ErrNotExist, when cmd/devtoken has not made the pair yet.
func DevPublicKeyPEM(dataDir string) (string, error) {
	path := filepath.Join(dataDir, devKeyDir, devPublicFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read dev public key (make it with go run ./cmd/devtoken): %w", err)
	}
	return string(b), nil
}

// Mint returns a token for c, signed with k, in the shape of a Clerk session
// token.
func (k *DevKey) Mint(c DevClaims) (string, error) {
	if c.UserID == "" {
		return "", errors.New("mint dev token: no user id")
	}
	if c.SessionID == "" {
		c.SessionID = "sess_dev_" + randomHex(8)
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = time.Now()
	}
	if c.Lifetime <= 0 {
		c.Lifetime = DefaultDevTokenLifetime
	}

	claims := map[string]any{
		"iss": DevIssuer,
		"sub": c.UserID,
		"sid": c.SessionID,
		"iat": c.IssuedAt.Unix(),
		"nbf": c.IssuedAt.Unix(),
		"exp": c.IssuedAt.Add(c.Lifetime).Unix(),
	}
	if c.AuthorizedParty != "" {
		claims["azp"] = c.AuthorizedParty
	}

	token, err := signRS256(k.private, k.ID, claims)
	if err != nil {
		return "", fmt.Errorf("mint dev token: %w", err)
	}
	return token, nil
}

func newDevKey(dir string, private *rsa.PrivateKey) (*DevKey, error) {
	der, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("encode dev public key: %w", err)
	}

	// The public key is rewritten every time: it is derived from the private
	// key, so this repairs a deleted or stale file.
	path := filepath.Join(dir, devPublicFile)
	block := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if err := writeFileAtomic(path, block, 0o644); err != nil {
		return nil, fmt.Errorf("write dev public key: %w", err)
	}
	return &DevKey{ID: devKeyID(der), PublicKeyPath: path, private: private}, nil
}

func readPrivateKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read dev private key: %w", err)
	}

	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("read dev private key %s: not a PEM private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read dev private key %s: %w", path, err)
	}
	private, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("read dev private key %s: not an RSA key", path)
	}
	return private, nil
}

// createPrivateKey makes a key and stores it at path, unless another process
// got there first, in which case that one's key is returned.
func createPrivateKey(path string) (*rsa.PrivateKey, bool, error) {
	private, err := rsa.GenerateKey(rand.Reader, devKeyBits)
	if err != nil {
		return nil, false, fmt.Errorf("generate dev key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return nil, false, fmt.Errorf("encode dev private key: %w", err)
	}

	block := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	err = writeFileExclusive(path, block, 0o600)
	if errors.Is(err, fs.ErrExist) {
		private, err := readPrivateKey(path)
		return private, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("write dev private key: %w", err)
	}
	return private, true, nil
}

// writeFileExclusive writes data to path unless path exists, in which case
// it fails with fs.ErrExist. Readers never see a partly written file: the
// data goes to a temporary file first, which is then linked into place.
func writeFileExclusive(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)

	return os.Link(tmp, path)
}

// writeFileAtomic replaces path with data.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}

	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return "", err
	}

	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// devJSONWebKey parses a dev public key for verification, with the key id
// its tokens carry.
func devJSONWebKey(publicPEM string) (*clerk.JSONWebKey, error) {
	jwk, err := rsaJSONWebKey(publicPEM)
	if err != nil {
		return nil, err
	}

	der, err := x509.MarshalPKIXPublicKey(jwk.Key)
	if err != nil {
		return nil, err
	}
	jwk.KeyID = devKeyID(der)
	return jwk, nil
}

// rsaJSONWebKey parses a PEM RSA public key, as Clerk's CLERK_JWT_KEY is.
func rsaJSONWebKey(publicPEM string) (*clerk.JSONWebKey, error) {
	jwk, err := clerk.JSONWebKeyFromPEM(publicPEM)
	if err != nil {
		return nil, err
	}
	if _, ok := jwk.Key.(*rsa.PublicKey); !ok {
		return nil, fmt.Errorf("not an RSA public key: %T", jwk.Key)
	}
	return jwk, nil
}

// devKeyID names a dev public key by its DER encoding's digest.
func devKeyID(publicDER []byte) string {
	sum := sha256.Sum256(publicDER)
	return "dev_" + hex.EncodeToString(sum[:8])
}

func signRS256(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).CompactSerialize()
}

func randomHex(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never fails (Go 1.24 and later).
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
