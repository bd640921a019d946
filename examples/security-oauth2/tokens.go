// Tokens and passwords with the standard library: JWTs signed with
// HMAC-SHA256 (HS256, RFC 7519) and PBKDF2-SHA256 password hashes.

package main

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// claims is what a token says: who, which scopes, until when.
type claims struct {
	Subject string   `json:"sub"`
	Scopes  []string `json:"scopes"`
	Expires int64    `json:"exp"`
}

// tokenSigner makes and checks HS256 JWTs with one key.
type tokenSigner struct{ key []byte }

// jwtHeader is the only header this signer makes and accepts.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

func (s tokenSigner) sign(c claims) string {
	payload, _ := json.Marshal(c)
	signed := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signed + "." + base64.RawURLEncoding.EncodeToString(s.mac(signed))
}

func (s tokenSigner) mac(signed string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// verify checks the header, the signature (in constant time) and the
// expiry, and returns the claims.
func (s tokenSigner) verify(token string, now time.Time) (claims, bool) {
	header, rest, ok1 := strings.Cut(token, ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || header != jwtHeader {
		return claims{}, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(header+"."+payload)) {
		return claims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return claims{}, false
	}
	var c claims
	if json.Unmarshal(raw, &c) != nil || c.Subject == "" || now.Unix() >= c.Expires {
		return claims{}, false
	}
	return c, true
}

// Password hashes are "pbkdf2-sha256$<iterations>$<salt>$<key>", salt and
// key in unpadded standard base64. 600,000 iterations is OWASP's advice
// for PBKDF2-HMAC-SHA256.
const hashIterations = 600_000

func hashPassword(password string, iterations int) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	return encodeHash(iterations, salt, derive(password, salt, iterations))
}

func encodeHash(iter int, salt, key []byte) string {
	enc := base64.RawStdEncoding
	return "pbkdf2-sha256$" + strconv.Itoa(iter) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
}

func derive(password string, salt []byte, iter int) []byte {
	key, err := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	if err != nil {
		panic(err) // only for FIPS-140-only mode's limits, which these sizes meet
	}
	return key
}

// verifyPassword compares in constant time.
func verifyPassword(password, hash string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	return subtle.ConstantTimeCompare(derive(password, salt, iter), want) == 1
}
