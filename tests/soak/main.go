// Command soak proves Brisk under sustained load and at shutdown. It builds a
// Brisk app, starts it as a separate process (this program re-executed with
// -serve) on 127.0.0.1 with a random port, drives it from many concurrent
// keep-alive clients, and checks what came out.
//
//	go run ./tests/soak -duration 60s -conns 256     # soak
//	go run ./tests/soak -sigterm -duration 10s        # SIGTERM mid-load
//	go run ./tests/soak -abandon                      # a task outlives the shutdown deadline
//
// Soak: requests, errors, p50/p99 latency, tasks queued vs run, goroutines
// and memory at the start, during (heap sampled at intervals) and at the
// end. It fails (exit 1) unless there are no errors, every queued task ran,
// the goroutines are back to their baseline and the heap is flat after
// warm-up.
//
// SIGTERM: the server is sent SIGTERM halfway through the load. It fails
// unless every request the server handled got its response (clients see no
// error but connection refused once the listener is closed), new
// connections are refused while the server drains, every task of a
// successful request ran (one line each in the tasks file), and the exit
// code is 0, although two clients hold connections through the shutdown
// (one that never sends a byte, one stalled halfway through its body): the
// server closes them before its 4 s deadline and logs that it did.
//
// Abandon: with Config.ShutdownTimeout of 1s and tasks that block for a
// minute, the server must exit within the deadline (plus slack) and log how
// many tasks it abandoned.
//
// The server process stops by itself: it dies with its parent (Linux), and
// exits after -max-lifetime whatever happens.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.BoolVar(&cfg.serve, "serve", false, "run as the server (internal: the driver starts it)")
	flag.BoolVar(&cfg.sigterm, "sigterm", false, "send SIGTERM to the server halfway through the load")
	flag.BoolVar(&cfg.abandon, "abandon", false, "queue tasks that outlive a 1s shutdown deadline, then SIGTERM")
	flag.DurationVar(&cfg.duration, "duration", 60*time.Second, "how long the load runs")
	flag.IntVar(&cfg.conns, "conns", 256, "concurrent keep-alive clients")
	flag.DurationVar(&cfg.sample, "sample", 0, "heap sampling interval (default: duration/12, at least 500ms)")
	flag.StringVar(&cfg.tasksFile, "tasks-file", "", "server: the file each task appends a line to")
	flag.DurationVar(&cfg.taskDelay, "task-delay", 0, "server: how long each task works before it writes its line")
	flag.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 30*time.Second, "server: Config.ShutdownTimeout")
	flag.DurationVar(&cfg.maxLifetime, "max-lifetime", 10*time.Minute, "server: exit after this long, whatever happens")
	flag.Parse()
	if cfg.serve {
		os.Exit(serve(cfg))
	}
	if cfg.sample <= 0 {
		cfg.sample = max(cfg.duration/12, 500*time.Millisecond)
	}
	var ok bool
	switch {
	case cfg.abandon:
		ok = runAbandon(cfg)
	case cfg.sigterm:
		ok = runSigterm(cfg)
	default:
		ok = runSoak(cfg)
	}
	if !ok {
		fmt.Println("FAIL")
		os.Exit(1)
	}
	fmt.Println("PASS")
}

type config struct {
	serve, sigterm, abandon bool
	duration, sample        time.Duration
	conns                   int
	tasksFile               string
	taskDelay               time.Duration
	shutdownTimeout         time.Duration
	maxLifetime             time.Duration
}

// Stats is what the server's /debug/stats reports, and prints on exit.
type Stats struct {
	Goroutines int    `json:"goroutines"`
	HeapInuse  uint64 `json:"heap_inuse"`
	HeapAlloc  uint64 `json:"heap_alloc"`
	Sys        uint64 `json:"sys"`
	RSS        uint64 `json:"rss"`
	NumGC      uint32 `json:"num_gc"`
	Handled    int64  `json:"handled"`      // requests whose handler queued a task
	Queued     int64  `json:"tasks_queued"` // tasks added
	Run        int64  `json:"tasks_run"`    // tasks that wrote their line
	Cleanups   int64  `json:"cleanups"`     // provider cleanups run
	Providers  int64  `json:"providers"`    // provider calls
}

// ---------------------------------------------------------------------------
// Driver

// server is the child process.
type server struct {
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	stderr bytes.Buffer
	stdout bytes.Buffer
	exited chan struct{}
	err    error // Wait's, once exited is closed
	exitAt time.Time
}

// startServer starts this program with -serve and returns once it serves.
func startServer(cfg config, extra ...string) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := append([]string{"-serve", "-tasks-file", cfg.tasksFile,
		"-max-lifetime", (cfg.duration + 2*time.Minute).String()}, extra...)
	s := &server{cmd: exec.Command(exe, args...), exited: make(chan struct{})}
	s.cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT=0")
	setPdeathsig(s.cmd)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout = &lockedWriter{mu: &s.mu, w: &s.stdout}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.stderr.WriteString(line + "\n")
			s.mu.Unlock()
			if strings.Contains(line, `"brisk: serving"`) {
				select {
				case serving <- line:
				default:
				}
			}
		}
		s.err = s.cmd.Wait()
		s.exitAt = time.Now()
		close(s.exited)
	}()
	select {
	case line := <-serving:
		m := regexp.MustCompile(`"addr":"http://([^"]+)"`).FindStringSubmatch(line)
		if m == nil {
			s.kill()
			return nil, fmt.Errorf("no address in %q", line)
		}
		s.addr = m[1]
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("the server exited before serving (%v):\n%s", s.err, s.logs())
	case <-time.After(60 * time.Second):
		s.kill()
		return nil, fmt.Errorf("the server did not serve within 60s:\n%s", s.logs())
	}
}

func (s *server) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

func (s *server) out() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String()
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// wait waits for the server to exit, at most d.
func (s *server) wait(d time.Duration) bool {
	select {
	case <-s.exited:
		return true
	case <-time.After(d):
		return false
	}
}

// final is the stats line the server prints when Run has returned.
func (s *server) final() (Stats, bool) {
	for _, line := range strings.Split(s.out(), "\n") {
		if rest, ok := strings.CutPrefix(line, "final "); ok {
			var st Stats
			return st, json.Unmarshal([]byte(rest), &st) == nil
		}
	}
	return Stats{}, false
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// stats asks the server for its stats on a connection of its own, after a
// GC, so that every sample is taken the same way.
func stats(addr string) (Stats, error) {
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get("http://" + addr + "/debug/stats?gc=1")
	if err != nil {
		return Stats{}, err
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// clientConn is a client connection, remembering when it was dialled and
// whether it ever received a byte: a connection the server never accepted
// (dialled as the listener closed) is reset without one.
type clientConn struct {
	net.Conn
	dialled time.Time
	read    atomic.Int64
}

func (c *clientConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// load is the state of the clients.
type load struct {
	addr      string
	ok        atomic.Int64 // 2xx responses
	okPost    atomic.Int64 // 2xx to POST /orders: each queued one task
	refused   atomic.Int64 // connection refused, or reset before the server accepted
	errors    atomic.Int64 // anything else
	signalled atomic.Int64 // unix nanos of SIGTERM, 0 before
	inflight  atomic.Int64 // requests sent and not yet answered
	slow      bool         // one GET in eight takes 100ms in its handler
	mu        sync.Mutex
	latencies []time.Duration
	errSample []string
	clients   []*http.Client
}

func (l *load) noteError(s string) {
	l.errors.Add(1)
	l.mu.Lock()
	if len(l.errSample) < 10 {
		l.errSample = append(l.errSample, s)
	}
	l.mu.Unlock()
}

// run drives the server from conns clients, one keep-alive connection
// each, until stop is closed; a client stops at its first refusal.
func (l *load) run(conns int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for i := range conns {
		tr := &http.Transport{
			MaxConnsPerHost:     1,
			MaxIdleConnsPerHost: 1,
			DisableCompression:  true,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return &clientConn{Conn: c, dialled: time.Now()}, nil
			},
		}
		client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
		l.clients = append(l.clients, client)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			defer func() {
				l.mu.Lock()
				l.latencies = append(l.latencies, lat...)
				l.mu.Unlock()
			}()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				d, refused := l.one(client, i, n)
				if refused {
					return
				}
				if d > 0 {
					lat = append(lat, d)
				}
			}
		}()
	}
	wg.Wait()
}

// one sends request n of client i: a JSON body through a provider that
// queues a task, or a path, query and provider read; both queue a task.
func (l *load) one(client *http.Client, i, n int) (time.Duration, bool) {
	var req *http.Request
	post := n%2 == 0
	if post {
		body := fmt.Sprintf(`{"customer":"c%d","lines":[{"sku":"s%d","qty":%d},{"sku":"x","qty":1}]}`, i, n, n%9+1)
		req, _ = http.NewRequest(http.MethodPost, "http://"+l.addr+"/orders", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		// Replayable: Go's client may resend it on a kept-alive connection
		// the server closed before reading it (at shutdown).
		req.Header.Set("Idempotency-Key", fmt.Sprintf("%d-%d", i, n))
	} else {
		target := fmt.Sprintf("http://%s/items/%d?verbose=%v", l.addr, n, n%4 == 1)
		if l.slow && n%8 == 3 {
			target += "&delay=100ms"
		}
		req, _ = http.NewRequest(http.MethodGet, target, nil)
	}
	var conn *clientConn
	var reused bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			conn, _ = info.Conn.(*clientConn)
			reused = info.Reused
		},
	}))
	start := time.Now()
	l.inflight.Add(1)
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	l.inflight.Add(-1)
	d := time.Since(start)
	switch {
	case err == nil && resp.StatusCode/100 == 2:
		l.ok.Add(1)
		if post {
			l.okPost.Add(1)
		}
		return d, false
	case err == nil:
		l.noteError(fmt.Sprintf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode))
		return 0, false
	case errors.Is(err, syscall.ECONNREFUSED):
		l.refused.Add(1)
		return 0, true
	case l.signalled.Load() != 0 && conn != nil && !reused && conn.read.Load() == 0 &&
		conn.dialled.UnixNano() >= l.signalled.Load() && isReset(err):
		// Dialled as the listener closed: the kernel had completed the
		// handshake, the server never accepted the connection.
		l.refused.Add(1)
		return 0, true
	}
	l.noteError(fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, err))
	return 0, false
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(err.Error(), "server closed") || strings.Contains(err.Error(), "EOF")
}

func (l *load) closeIdle() {
	for _, c := range l.clients {
		c.CloseIdleConnections()
	}
}

func (l *load) percentile(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.latencies) == 0 {
		return 0
	}
	slices.Sort(l.latencies)
	return l.latencies[min(len(l.latencies)-1, int(float64(len(l.latencies))*p))]
}

func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	return bytes.Count(b, []byte("\n"))
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// check prints one verdict line and reports ok.
func check(ok bool, format string, args ...any) bool {
	mark := "ok  "
	if !ok {
		mark = "FAIL"
	}
	fmt.Printf("  %s %s\n", mark, fmt.Sprintf(format, args...))
	return ok
}

func tempTasksFile(cfg *config) func() {
	dir, err := os.MkdirTemp("", "brisk-soak-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg.tasksFile = filepath.Join(dir, "tasks.log")
	return func() { os.RemoveAll(dir) }
}

// runSoak is the soak: steady load, then the numbers.
func runSoak(cfg config) bool {
	defer tempTasksFile(&cfg)()
	srv, err := startServer(cfg)
	if err != nil {
		fmt.Println("start:", err)
		return false
	}
	defer srv.kill()
	fmt.Printf("soak: %s, %d keep-alive clients, server pid %d on %s (GOMAXPROCS %d, race %v)\n",
		cfg.duration, cfg.conns, srv.cmd.Process.Pid, srv.addr, runtime.GOMAXPROCS(0), raceEnabled)
	base, err := stats(srv.addr)
	if err != nil {
		fmt.Println("stats:", err)
		return false
	}
	fmt.Printf("  baseline: %d goroutines, heap in use %s, RSS %s\n", base.Goroutines, mib(base.HeapInuse), mib(base.RSS))

	l := &load{addr: srv.addr}
	stop := make(chan struct{})
	done := make(chan struct{})
	start := time.Now()
	go func() { l.run(cfg.conns, stop); close(done) }()
	var samples []Stats
	var at []time.Duration
	tick := time.NewTicker(cfg.sample)
	deadline := time.After(cfg.duration)
sampling:
	for {
		select {
		case <-tick.C:
			st, err := stats(srv.addr)
			if err != nil {
				l.noteError("stats: " + err.Error())
				continue
			}
			samples = append(samples, st)
			at = append(at, time.Since(start))
			fmt.Printf("  t=%5.1fs  requests %8d  goroutines %5d  heap in use %9s  heap alloc %9s  RSS %9s  tasks %d/%d\n",
				time.Since(start).Seconds(), l.ok.Load(), st.Goroutines, mib(st.HeapInuse), mib(st.HeapAlloc), mib(st.RSS), st.Run, st.Queued)
		case <-deadline:
			break sampling
		}
	}
	tick.Stop()
	close(stop)
	<-done
	elapsed := time.Since(start)
	l.closeIdle()

	// Drain: every task run, every connection gone (bounded wait).
	var end Stats
	drained := time.Now().Add(60 * time.Second)
	for {
		end, err = stats(srv.addr)
		if err == nil && end.Run == end.Queued && end.Goroutines <= base.Goroutines {
			break
		}
		if time.Now().After(drained) {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling the server, bounded above
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	exited := srv.wait(cfg.shutdownTimeout + 30*time.Second)
	final, haveFinal := srv.final()
	lines := countLines(cfg.tasksFile)

	total := l.ok.Load() + l.errors.Load()
	fmt.Printf("results after %.1fs:\n", elapsed.Seconds())
	fmt.Printf("  requests %d (%.0f/s), errors %d, p50 %v, p99 %v\n", total, float64(total)/elapsed.Seconds(),
		l.errors.Load(), l.percentile(0.50).Round(time.Microsecond), l.percentile(0.99).Round(time.Microsecond))
	fmt.Printf("  tasks queued %d, run %d, lines in the tasks file %d\n", end.Queued, end.Run, lines)
	fmt.Printf("  provider calls %d, cleanups %d\n", end.Providers, end.Cleanups)
	fmt.Printf("  goroutines: baseline %d, end %d\n", base.Goroutines, end.Goroutines)
	fmt.Printf("  heap in use: baseline %s, end %s; RSS baseline %s, end %s\n", mib(base.HeapInuse), mib(end.HeapInuse), mib(base.RSS), mib(end.RSS))
	for _, e := range l.errSample {
		fmt.Println("  error:", e)
	}

	// Flat memory: after warm-up (the first quarter of the samples), the
	// heap in use at the last samples is within 25% (+4 MiB) of the peak
	// seen at the end of warm-up.
	flat := true
	if n := len(samples); n >= 4 {
		warm := samples[:n/4+1]
		var warmPeak, latePeak uint64
		for _, s := range warm {
			warmPeak = max(warmPeak, s.HeapInuse)
		}
		for _, s := range samples[n/2:] {
			latePeak = max(latePeak, s.HeapInuse)
		}
		flat = latePeak <= warmPeak+warmPeak/4+4<<20
		fmt.Printf("  heap in use: peak during warm-up (to t=%.1fs) %s, peak in the second half %s\n",
			at[len(warm)-1].Seconds(), mib(warmPeak), mib(latePeak))
	}
	ok := true
	fmt.Println("verdict:")
	ok = check(l.errors.Load() == 0 && l.refused.Load() == 0, "no errors (%d, refused %d)", l.errors.Load(), l.refused.Load()) && ok
	ok = check(total > 0, "requests served: %d", total) && ok
	ok = check(end.Run == end.Queued && end.Queued == l.ok.Load(), "tasks run == tasks queued == successful requests (%d, %d, %d)", end.Run, end.Queued, l.ok.Load()) && ok
	ok = check(lines == int(end.Queued), "one line per task in the tasks file (%d)", lines) && ok
	ok = check(end.Cleanups == end.Providers, "every provider cleanup ran (%d of %d)", end.Cleanups, end.Providers) && ok
	ok = check(end.Goroutines <= base.Goroutines, "goroutines back to baseline (%d <= %d)", end.Goroutines, base.Goroutines) && ok
	ok = check(flat, "heap flat after warm-up") && ok
	ok = check(exited && exitCode(srv.err) == 0, "SIGTERM after the load: exit code %d", exitCode(srv.err)) && ok
	ok = check(haveFinal && final.Run == final.Queued, "the server's own count at exit: %d tasks run of %d", final.Run, final.Queued) && ok
	return ok
}

// runSigterm sends SIGTERM halfway through the load.
func runSigterm(cfg config) bool {
	defer tempTasksFile(&cfg)()
	// Tasks that take a while keep the process draining after the listener
	// closed, long enough to see new connections refused.
	const shutdownTimeout = 4 * time.Second
	srv, err := startServer(cfg, "-task-delay", "20ms", "-shutdown-timeout", shutdownTimeout.String())
	if err != nil {
		fmt.Println("start:", err)
		return false
	}
	defer srv.kill()
	// Two clients hold connections through the shutdown: one sends nothing,
	// one stalls halfway through its body.
	var held []net.Conn
	for _, head := range []string{"",
		"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"} {
		c, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
		if err != nil {
			fmt.Println("hold:", err)
			return false
		}
		defer c.Close()
		if _, err := io.WriteString(c, head); err != nil {
			fmt.Println("hold:", err)
			return false
		}
		held = append(held, c)
	}
	fmt.Printf("sigterm: %d keep-alive clients, SIGTERM after %s, server pid %d on %s (race %v)\n",
		cfg.conns, cfg.duration/2, srv.cmd.Process.Pid, srv.addr, raceEnabled)

	l := &load{addr: srv.addr, slow: true}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { l.run(cfg.conns, stop); close(done) }()
	time.Sleep(cfg.duration / 2) // the load runs this long before the signal

	sentAt := time.Now()
	l.signalled.Store(sentAt.UnixNano())
	okAtSignal := l.ok.Load()
	inflightAtSignal := l.inflight.Load()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		fmt.Println("signal:", err)
		return false
	}
	// Probe: new connections are refused while the server is still draining.
	var refusedAt time.Time
	aliveWhenRefused := false
	for probeEnd := time.Now().Add(30 * time.Second); time.Now().Before(probeEnd); {
		c, err := net.DialTimeout("tcp", srv.addr, time.Second)
		if err == nil {
			c.Close()
			continue
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			refusedAt = time.Now()
			select {
			case <-srv.exited:
			default:
				aliveWhenRefused = true
			}
			break
		}
	}
	exited := srv.wait(shutdownTimeout + 30*time.Second)
	close(stop)
	<-done
	final, haveFinal := srv.final()
	cut := strings.Contains(srv.logs(), "brisk: shutdown: closed the connections still open")
	lines := countLines(cfg.tasksFile)
	fmt.Printf("results:\n")
	fmt.Printf("  successful responses %d (%d before the signal, %d requests in flight at it), POSTs %d; refused %d; other errors %d\n",
		l.ok.Load(), okAtSignal, inflightAtSignal, l.okPost.Load(), l.refused.Load(), l.errors.Load())
	if !refusedAt.IsZero() {
		fmt.Printf("  new connections refused %v after SIGTERM; the process exited %v after it\n",
			refusedAt.Sub(sentAt).Round(time.Millisecond), srv.exitAt.Sub(sentAt).Round(time.Millisecond))
	}
	fmt.Printf("  server at exit: handled %d, tasks queued %d, run %d, cleanups %d of %d; lines in the tasks file %d; exit code %d\n",
		final.Handled, final.Queued, final.Run, final.Cleanups, final.Providers, lines, exitCode(srv.err))
	for _, e := range l.errSample {
		fmt.Println("  error:", e)
	}
	ok := true
	fmt.Println("verdict:")
	ok = check(exited, "the server exited") && ok
	ok = check(exitCode(srv.err) == 0, "exit code 0 (%d)", exitCode(srv.err)) && ok
	ok = check(l.errors.Load() == 0, "no client errors but refused connections (%d)", l.errors.Load()) && ok
	ok = check(inflightAtSignal > 0 && l.ok.Load() > okAtSignal, "requests were in flight at the signal (%d); %d responses came after it",
		inflightAtSignal, l.ok.Load()-okAtSignal) && ok
	ok = check(haveFinal && final.Handled == l.ok.Load(), "every request the server handled got its response (%d handled, %d answered)", final.Handled, l.ok.Load()) && ok
	ok = check(!refusedAt.IsZero() && aliveWhenRefused, "new connections refused while the server drained") && ok
	ok = check(final.Queued == l.ok.Load() && final.Run == final.Queued && lines == int(final.Run),
		"every task queued ran before exit (queued %d, run %d, lines %d, responses %d)", final.Queued, final.Run, lines, l.ok.Load()) && ok
	ok = check(final.Cleanups == final.Providers, "every provider cleanup ran (%d of %d)", final.Cleanups, final.Providers) && ok
	// The slack covers the process's exit after Run returned (a race
	// build sleeps a second at exit); exit code 0 says Shutdown met its
	// deadline.
	ok = check(cut && srv.exitAt.Sub(sentAt) < shutdownTimeout+5*time.Second,
		"the %d held connections were closed, logged, and did not delay the exit past the %s deadline (exited after %v, slack 5s)",
		len(held), shutdownTimeout, srv.exitAt.Sub(sentAt).Round(time.Millisecond)) && ok
	return ok
}

// runAbandon queues tasks that outlive the shutdown deadline.
func runAbandon(cfg config) bool {
	defer tempTasksFile(&cfg)()
	const deadline = time.Second
	const blocked = 5
	srv, err := startServer(cfg, "-shutdown-timeout", deadline.String())
	if err != nil {
		fmt.Println("start:", err)
		return false
	}
	defer srv.kill()
	fmt.Printf("abandon: %d tasks that block for a minute, ShutdownTimeout %s, server pid %d on %s (race %v)\n",
		blocked, deadline, srv.cmd.Process.Pid, srv.addr, raceEnabled)
	client := &http.Client{Timeout: 30 * time.Second}
	for i := range blocked {
		resp, err := client.Post("http://"+srv.addr+"/block", "application/json", nil)
		if err != nil || resp.StatusCode != 200 {
			fmt.Println("block request:", i, err)
			return false
		}
		resp.Body.Close()
	}
	// Wait (bounded) until all the blocking tasks run.
	for until := time.Now().Add(30 * time.Second); ; {
		st, err := stats(srv.addr)
		if err == nil && st.Run >= blocked || time.Now().After(until) {
			break
		}
		time.Sleep(10 * time.Millisecond) // polling the server, bounded above
	}
	client.CloseIdleConnections()
	sentAt := time.Now()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	exited := srv.wait(deadline + 30*time.Second)
	took := srv.exitAt.Sub(sentAt)
	logs := srv.logs()
	var abandoned map[string]any
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "shutdown deadline passed; abandoning tasks") {
			_ = json.Unmarshal([]byte(line), &abandoned)
		}
	}
	fmt.Printf("results:\n  the process exited %v after SIGTERM with code %d\n", took.Round(time.Millisecond), exitCode(srv.err))
	fmt.Printf("  abandon record: %v\n", abandoned)
	if m := regexp.MustCompile(`(?m)^.*"run returned".*$`).FindString(logs); m != "" {
		fmt.Printf("  %s\n", m)
	}
	ok := true
	fmt.Println("verdict:")
	ok = check(exited, "the server exited") && ok
	ok = check(took >= deadline && took < deadline+5*time.Second, "at the deadline: %v (deadline %v, slack 5s)", took.Round(time.Millisecond), deadline) && ok
	ok = check(abandoned != nil && fmt.Sprint(abandoned["tasks"]) == strconv.Itoa(blocked) && fmt.Sprint(abandoned["lists"]) == strconv.Itoa(blocked),
		"the log names what it abandoned: %v lists, %v tasks (want %d)", abandoned["lists"], abandoned["tasks"], blocked) && ok
	ok = check(exitCode(srv.err) == 1, "exit code 1: Run reported the deadline (%d)", exitCode(srv.err)) && ok
	return ok
}
