package bench

// A Bearer-protected route side by side: Brisk's security.HTTPBearer and a
// provider turning the token into a user, against hand-written chi
// middleware doing the same (parse the header, look the token up, put the
// user in the context, 401 with WWW-Authenticate otherwise). Run:
//
//	go test -run '^$' -bench 'Bearer' -benchmem -count 6 . | tee bearer.txt
//	benchstat -col /fw bearer.txt

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// bearerUsers are the valid tokens and their users.
var bearerUsers = map[string]string{"token-alice": "alice", "token-bob": "bob"}

const bearerAnswer = `{"username":"alice"}`

type (
	benchToken string
	benchUser  struct {
		Username string `json:"username"`
	}
)

func bearerBrisk() http.Handler {
	app := brisk.New()
	app.Provide(security.HTTPBearer[benchToken]{})
	app.Provide(func(t benchToken) (benchUser, error) {
		name, ok := bearerUsers[string(t)]
		if !ok {
			return benchUser{}, brisk.Error(http.StatusUnauthorized, "Invalid token").WithHeader("WWW-Authenticate", "Bearer")
		}
		return benchUser{Username: name}, nil
	})
	app.Get("/users/me", func(u benchUser) benchUser { return u })
	return app
}

type userKey struct{}

// bearerAuth is the hand-written middleware a chi user would write.
func bearerAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "bearer") || token == "" {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Not authenticated"})
			return
		}
		name, ok := bearerUsers[token]
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Invalid token"})
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, benchUser{Username: name})))
	})
}

func bearerChi() http.Handler {
	r := chi.NewRouter()
	r.With(bearerAuth).Get("/users/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, r.Context().Value(userKey{}).(benchUser))
	})
	return r
}

func bearerImpls() []formImpl {
	return []formImpl{{"brisk", bearerBrisk()}, {"chi", bearerChi()}}
}

// Both answer the same: 200 with the user, 401 with the challenge.
func TestBearerParity(t *testing.T) {
	for _, im := range bearerImpls() {
		for _, tc := range []struct {
			auth   string
			status int
			want   string
		}{
			{"Bearer token-alice", 200, bearerAnswer},
			{"", 401, `{"detail":"Not authenticated"}`},
			{"Bearer nope", 401, `{"detail":"Invalid token"}`},
		} {
			req := httptest.NewRequest(http.MethodGet, "/users/me", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			im.h.ServeHTTP(rec, req)
			if rec.Code != tc.status || !jsonEqual(t, rec.Body.Bytes(), []byte(tc.want)) {
				t.Errorf("%s %q: %d %s, want %d %s", im.name, tc.auth, rec.Code, rec.Body, tc.status, tc.want)
			}
			if tc.status == 401 && rec.Header().Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("%s %q: WWW-Authenticate %q", im.name, tc.auth, rec.Header().Get("WWW-Authenticate"))
			}
		}
	}
}

func BenchmarkBearer(b *testing.B) {
	for _, im := range bearerImpls() {
		b.Run("fw="+im.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/users/me", nil)
			req.Header.Set("Authorization", "Bearer token-alice")
			w := &nopWriter{h: make(http.Header)}
			b.ReportAllocs()
			cpu := CPUTime()
			for b.Loop() {
				clear(w.h)
				im.h.ServeHTTP(w, req)
			}
			if cpu := CPUTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
