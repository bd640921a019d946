package durable_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// server is a child process running runServer.
type server struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan error
}

func (s *server) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.Write(p)
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// startServer runs the test server on st and port and returns once it answers.
func startServer(t *testing.T, st store, schema string, port int) *server {
	t.Helper()
	s := &server{url: "http://127.0.0.1:" + strconv.Itoa(port), exited: make(chan error, 1)}
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), "DURABLE_SERVER="+st.name, "DURABLE_DSN="+st.dsn, "DURABLE_SCHEMA="+schema,
		"HOST=127.0.0.1", "PORT="+strconv.Itoa(port))
	s.cmd.Stderr = s
	require.NoError(t, s.cmd.Start())
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() { s.cmd.Process.Kill() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.url + "/openapi.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.exited:
			t.Fatalf("server exited before serving: %v\n%s", err, s.log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not serve within 60s:\n%s", s.log())
		}
		time.Sleep(50 * time.Millisecond) // polling another process's port
	}
}

func (s *server) kill(t *testing.T) {
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	<-s.exited
}

// stop sends SIGTERM and asserts a clean exit.
func (s *server) stop(t *testing.T) {
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-s.exited:
		assert.NoError(t, err, "the server must exit 0 on SIGTERM:\n%s", s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not exit within 30s of SIGTERM:\n%s", s.log())
	}
}

// ledger is what the clients were told: tokens acknowledged (2xx) and
// tokens whose request failed (to retry).
type ledger struct {
	mu     sync.Mutex
	acked  map[string]bool
	failed map[string]bool
	next   atomic.Int64
	n      atomic.Int64 // acknowledged count
}

func newLedger() *ledger { return &ledger{acked: map[string]bool{}, failed: map[string]bool{}} }

var client = &http.Client{Timeout: 10 * time.Second}

// send posts one token to target and records the outcome.
func (l *ledger) send(target, token string) bool {
	resp, err := client.Post(target+"/work/"+url.PathEscape(token), "", nil)
	ok := err == nil && resp.StatusCode == http.StatusAccepted
	if err == nil {
		resp.Body.Close()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok {
		if !l.acked[token] {
			l.acked[token] = true
			l.n.Add(1)
		}
		delete(l.failed, token)
	} else if !l.acked[token] {
		l.failed[token] = true
	}
	return ok
}

// load sends fresh tokens from conns clients, spread over targets() (the
// live servers), until stop is closed.
func (l *ledger) load(conns int, targets func() []string, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ts := targets()
				if len(ts) == 0 {
					return
				}
				l.send(ts[i%len(ts)], fmt.Sprintf("t-%d", l.next.Add(1)))
			}
		}()
	}
	return &wg
}

// retry re-sends every failed token to target until each is acknowledged:
// a client retrying after a crash. A token stored before the crash is not
// stored twice (its task is unique by its args).
func (l *ledger) retry(t *testing.T, target string) int {
	l.mu.Lock()
	var todo []string
	for tok := range l.failed {
		todo = append(todo, tok)
	}
	l.mu.Unlock()
	for _, tok := range todo {
		deadline := time.Now().Add(30 * time.Second)
		for !l.send(target, tok) {
			require.True(t, time.Now().Before(deadline), "token %s not acknowledged after the restart", tok)
		}
	}
	return len(todo)
}

func (l *ledger) waitAcked(t *testing.T, n int64) {
	deadline := time.Now().Add(90 * time.Second)
	for l.n.Load() < n {
		require.True(t, time.Now().Before(deadline), "only %d of %d requests acknowledged", l.n.Load(), n)
		time.Sleep(10 * time.Millisecond) // polling other goroutines' progress
	}
}

// drained waits until every acknowledged token has a result and no task is
// left to run.
func drained(t *testing.T, st store, l *ledger) {
	deadline := time.Now().Add(120 * time.Second)
	for {
		results := st.count(t, "SELECT count(*) FROM results")
		left := st.count(t, "SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'discarded', 'cancelled')")
		if results >= len(l.acked) && left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not drained after 120s: %d results for %d acknowledged tokens, %d tasks left", results, len(l.acked), left)
		}
		time.Sleep(200 * time.Millisecond) // polling the database
	}
}

// checkEveryAcknowledgedTaskRan asserts that nothing acknowledged was lost
// and that each token's task was stored once.
func checkEveryAcknowledgedTaskRan(t *testing.T, st store, l *ledger) {
	for tok := range l.acked {
		if st.count(t, "SELECT count(*) FROM results WHERE token = $1", tok) != 1 {
			t.Errorf("acknowledged token %s has no result: lost", tok)
		}
	}
	jobs := st.count(t, "SELECT count(*) FROM river_job WHERE kind = 'work'")
	assert.Equal(t, len(l.acked), jobs, "one stored task per acknowledged token (unique by args), retries included")
	failedTasks := st.count(t, "SELECT count(*) FROM river_job WHERE kind = 'work' AND state <> 'completed'")
	assert.Equal(t, 0, failedTasks)
}

func TestCrashLosesNoAcknowledgedTask(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			schema := schemaOf(st)
			port := freePort(t)
			a := startServer(t, st, schema, port)
			l := newLedger()
			var live atomic.Pointer[[]string]
			live.Store(&[]string{a.url})
			stop := make(chan struct{})
			wg := l.load(8, func() []string { return *live.Load() }, stop)

			l.waitAcked(t, 150)
			a.kill(t) // SIGKILL mid-load: requests in flight fail
			close(stop)
			wg.Wait()
			ackedAtKill, failedAtKill := len(l.acked), len(l.failed)

			b := startServer(t, st, schema, port)
			retried := l.retry(t, b.url)
			stop2 := make(chan struct{})
			live.Store(&[]string{b.url})
			wg = l.load(8, func() []string { return *live.Load() }, stop2)
			l.waitAcked(t, int64(ackedAtKill+retried+100))
			close(stop2)
			wg.Wait()

			drained(t, st, l)
			checkEveryAcknowledgedTaskRan(t, st, l)
			runs := st.count(t, "SELECT count(*) FROM runs")
			t.Logf("%s: %d acknowledged before SIGKILL, %d requests cut by it and retried, %d acknowledged in all; "+
				"%d tasks, %d runs (%d re-run after the crash, idempotent), %d results",
				st.name, ackedAtKill, failedAtKill, len(l.acked), len(l.acked), runs, runs-len(l.acked),
				st.count(t, "SELECT count(*) FROM results"))
			b.stop(t)
		})
	}
}

func TestScaleOutAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	st, ok := postgresStore(t)
	if !ok {
		t.Skip("needs PostgreSQL")
	}
	schema := schemaOf(st)
	servers := []*server{}
	for range 3 {
		servers = append(servers, startServer(t, st, schema, freePort(t)))
	}
	urls := func(ss []*server) []string {
		var u []string
		for _, s := range ss {
			u = append(u, s.url)
		}
		return u
	}
	l := newLedger()
	var live atomic.Pointer[[]string]
	all := urls(servers)
	live.Store(&all)
	stop := make(chan struct{})
	wg := l.load(9, func() []string { return *live.Load() }, stop)

	l.waitAcked(t, 200)
	survivors := []*server{servers[0], servers[2]}
	su := urls(survivors)
	live.Store(&su)
	servers[1].kill(t)
	l.waitAcked(t, 500)
	close(stop)
	wg.Wait()
	retried := l.retry(t, servers[0].url)

	drained(t, st, l)
	checkEveryAcknowledgedTaskRan(t, st, l)
	for _, s := range survivors {
		pid := s.cmd.Process.Pid
		n := st.count(t, "SELECT count(*) FROM results WHERE pid = $1", pid)
		assert.Positive(t, n, "survivor %d worked no task", pid)
		t.Logf("survivor pid %d worked %d tasks", pid, n)
	}
	t.Logf("killed pid %d worked %d tasks before SIGKILL; %d acknowledged, %d retried after the kill, %d runs",
		servers[1].cmd.Process.Pid, st.count(t, "SELECT count(*) FROM results WHERE pid = $1", servers[1].cmd.Process.Pid),
		len(l.acked), retried, st.count(t, "SELECT count(*) FROM runs"))
	for _, s := range survivors {
		s.stop(t)
	}
}

// schemaOf returns the PostgreSQL schema of st's connection string.
func schemaOf(st store) string {
	u, err := url.Parse(st.dsn)
	if err != nil || st.name != "postgres" {
		return ""
	}
	return u.Query().Get("search_path")
}
