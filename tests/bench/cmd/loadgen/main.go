// Command loadgen compares the implementations over loopback: each is served
// by net/http on 127.0.0.1 (a random port) in a child process of its own,
// and driven by N keep-alive connections for a fixed duration, the
// implementations alternated over several rounds. It prints each one's
// requests per second and the server process's CPU time per request (which,
// unlike req/s, holds when other work shares the machine), with their
// ratios to chi.
//
//	go run ./cmd/loadgen -scenarios S1,S2 -duration 5s -rounds 2 -conns 8
//
// Only 127.0.0.1 is ever addressed; every loop is bounded by the duration.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briskgo/brisk/tests/bench"
)

func main() {
	serve := flag.String("serve", "", "child mode: serve implementation `impl` (with -route) and print its address")
	route := flag.String("route", "", "child mode: the route to serve")
	scenarios := flag.String("scenarios", "S1,S2", "comma-separated scenarios")
	impls := flag.String("impls", "chi,nethttp,gin,echo,huma,fuego,brisk", "comma-separated implementations, the baseline first")
	duration := flag.Duration("duration", 5*time.Second, "measured time per implementation per round")
	warmup := flag.Duration("warmup", 500*time.Millisecond, "unmeasured load before each measurement")
	rounds := flag.Int("rounds", 2, "rounds; each runs every implementation once, in turn")
	conns := flag.Int("conns", 8, "keep-alive connections")
	profile := flag.String("cpuprofile", "", "write each server's CPU profile over its measured window to `dir`/SCENARIO-IMPL-ROUND.cpu (child mode: to this file)")
	flag.Parse()

	if *serve != "" {
		if err := child(*serve, *route, *profile); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if *duration <= 0 || *duration > time.Minute || *rounds < 1 || *rounds > 10 || *conns < 1 || *conns > 256 {
		fmt.Fprintln(os.Stderr, "loadgen: want 0 < duration <= 1m, 1 <= rounds <= 10, 1 <= conns <= 256")
		os.Exit(2)
	}
	names := strings.Split(*impls, ",")
	fmt.Printf("loopback: %d keep-alive connections, %v per run (after %v warm-up), %d rounds, implementations alternated; server and load generator share the machine's %d cores\n\n",
		*conns, *duration, *warmup, *rounds, numCPU())
	failed := false
	for _, name := range strings.Split(*scenarios, ",") {
		sc, ok := bench.ScenarioByName(name)
		if !ok {
			fmt.Fprintf(os.Stderr, "loadgen: no scenario %q\n", name)
			os.Exit(2)
		}
		rates := make(map[string][]result)
		for round := range *rounds {
			for _, impl := range names {
				prof := ""
				if *profile != "" {
					if err := os.MkdirAll(*profile, 0o755); err != nil {
						fmt.Fprintln(os.Stderr, "loadgen:", err)
						os.Exit(1)
					}
					prof = filepath.Join(*profile, fmt.Sprintf("%s-%s-%d.cpu", sc.Name, impl, round+1))
				}
				res, err := measure(impl, sc, *conns, *warmup, *duration, prof)
				if err != nil {
					fmt.Fprintf(os.Stderr, "loadgen: %s %s round %d: %v\n", sc.Name, impl, round+1, err)
					failed = true
					continue
				}
				rates[impl] = append(rates[impl], res)
			}
		}
		report(sc, names, rates)
	}
	if failed {
		os.Exit(1)
	}
}

func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte("\nprocessor")) + 1
}

// report prints each implementation's median req/s and server CPU time per
// request, and their ratios to the first implementation's (chi).
func report(sc bench.Scenario, names []string, rates map[string][]result) {
	fmt.Printf("%s %s %s\n\n", sc.Name, sc.Method, sc.Target)
	fmt.Printf("| impl | req/s (median) | req/s ratio to %s | server CPU µs/req (median) | CPU ratio to %s | runs (req/s) |\n", names[0], names[0])
	fmt.Printf("|---|---:|---:|---:|---:|---|\n")
	baseRPS, baseCPU := medianOf(rates[names[0]])
	for _, impl := range names {
		r := rates[impl]
		if len(r) == 0 {
			fmt.Printf("| %s | failed | | | | |\n", impl)
			continue
		}
		rps, cpu := medianOf(r)
		runs := make([]string, len(r))
		for i, x := range r {
			runs[i] = strconv.FormatFloat(x.rps, 'f', 0, 64)
		}
		rr, cr := "—", "—"
		if baseRPS > 0 {
			rr = fmt.Sprintf("%.2f", rps/baseRPS)
		}
		if baseCPU > 0 {
			cr = fmt.Sprintf("%.2f", cpu/baseCPU)
		}
		fmt.Printf("| %s | %.0f | %s | %.1f | %s | %s |\n", impl, rps, rr, cpu/1e3, cr, strings.Join(runs, ", "))
	}
	fmt.Println()
}

func medianOf(rs []result) (rps, cpu float64) {
	a, b := make([]float64, len(rs)), make([]float64, len(rs))
	for i, r := range rs {
		a[i], b[i] = r.rps, r.cpuReq
	}
	return median(a), median(b)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// child serves impl's route on 127.0.0.1:0, prints "ADDR host:port",
// answers each "cpu" line on its standard input with "CPU <ns>" (its CPU
// time so far), and stops when its standard input closes (the parent ends it
// that way).
func child(impl, route, profile string) error {
	if _, ok := bench.ImplByName(impl); !ok {
		return fmt.Errorf("no implementation %q", impl)
	}
	h := bench.Handler(impl, route)
	if h == nil {
		return fmt.Errorf("%s does not serve route %q", impl, route)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("ADDR %s\n", ln.Addr())
	in := bufio.NewScanner(os.Stdin)
	queries := 0
	for in.Scan() {
		if in.Text() != "cpu" {
			continue
		}
		queries++
		if profile != "" {
			// The first query starts the measured window, the second ends it.
			switch queries {
			case 1:
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
			case 2:
				pprof.StopCPUProfile()
			}
		}
		fmt.Printf("CPU %d\n", bench.CPUTime().Nanoseconds())
	}
	return srv.Close()
}

// result is one measured run.
type result struct {
	rps    float64 // requests per second
	cpuReq float64 // the server process's CPU nanoseconds per request
}

// measure starts impl's server in a child process and drives it.
func measure(impl string, sc bench.Scenario, conns int, warmup, duration time.Duration, profile string) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(self, "-serve", impl, "-route", sc.Route, "-cpuprofile", profile)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return result{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill() // our own child, by its id
			<-done
		}
	}()
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		return result{}, fmt.Errorf("child did not report its address: %w", err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if !ok || !strings.HasPrefix(addr, "127.0.0.1:") {
		return result{}, fmt.Errorf("child said %q", line)
	}
	cpu := func() (time.Duration, error) {
		if _, err := io.WriteString(stdin, "cpu\n"); err != nil {
			return 0, err
		}
		line, err := out.ReadString('\n')
		if err != nil {
			return 0, err
		}
		ns, ok := strings.CutPrefix(strings.TrimSpace(line), "CPU ")
		if !ok {
			return 0, fmt.Errorf("child said %q", line)
		}
		n, err := strconv.ParseInt(ns, 10, 64)
		return time.Duration(n), err
	}
	return drive(addr, sc, conns, warmup, duration, cpu)
}

// request renders sc's request for the wire.
func request(sc bench.Scenario) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: brisk-loadgen\r\n", sc.Method, sc.Target)
	if sc.Gzip {
		b.WriteString("Accept-Encoding: gzip\r\n")
	}
	if sc.Body != "" || sc.Method == http.MethodPost {
		if sc.Body != "" {
			b.WriteString("Content-Type: application/json\r\n")
		}
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(sc.Body))
	}
	b.WriteString("\r\n")
	b.WriteString(sc.Body)
	return b.Bytes()
}

// drive runs conns connections against addr: each sends the request, reads
// the whole response, and again, until the duration ends. Responses with
// another status than the scenario's count as errors.
func drive(addr string, sc bench.Scenario, conns int, warmup, duration time.Duration, cpu func() (time.Duration, error)) (result, error) {
	req := request(sc)
	var phase atomic.Int32 // 0 warm-up, 1 measuring, 2 stop
	var count atomic.Int64
	var firstErr error
	var errOnce sync.Once
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	var wg sync.WaitGroup
	for range conns {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			phase.Store(2)
			wg.Wait()
			return result{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			br := bufio.NewReaderSize(c, 32<<10)
			var n int64
			for phase.Load() < 2 {
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := c.Write(req); err != nil {
					fail(err)
					phase.Store(2)
					return
				}
				status, err := readResponse(br)
				if err != nil {
					fail(err)
					phase.Store(2)
					return
				}
				if status != sc.Status {
					fail(fmt.Errorf("status %d, want %d", status, sc.Status))
					phase.Store(2)
					return
				}
				if phase.Load() == 1 {
					n++
				}
			}
			count.Add(n)
		}()
	}
	time.Sleep(warmup)
	cpu0, err0 := cpu()
	phase.CompareAndSwap(0, 1)
	start := time.Now()
	time.Sleep(duration)
	phase.Store(2)
	elapsed := time.Since(start)
	cpu1, err1 := cpu()
	wg.Wait()
	if firstErr != nil {
		return result{}, firstErr
	}
	if err := errors.Join(err0, err1); err != nil {
		return result{}, err
	}
	n := float64(count.Load())
	if n == 0 {
		return result{}, errors.New("no request completed")
	}
	return result{rps: n / elapsed.Seconds(), cpuReq: float64(cpu1-cpu0) / n}, nil
}

// readResponse reads one HTTP/1.1 response (Content-Length or chunked) and
// returns its status.
func readResponse(br *bufio.Reader) (int, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, fmt.Errorf("bad status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, err
	}
	length, chunked := -1, false
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			length, err = strconv.Atoi(string(v))
			if err != nil {
				return 0, err
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		}
	}
	switch {
	case chunked:
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return 0, err
			}
			sizeText, _, _ := bytes.Cut(line, []byte(";")) // chunk extensions
			size, err := strconv.ParseInt(string(bytes.TrimSpace(sizeText)), 16, 64)
			if err != nil {
				return 0, err
			}
			if size == 0 {
				// Trailers (Fuego declares Server-Timing), then a blank line.
				for {
					line, err := br.ReadSlice('\n')
					if err != nil {
						return 0, err
					}
					if len(bytes.TrimRight(line, "\r\n")) == 0 {
						return status, nil
					}
				}
			}
			if _, err := br.Discard(int(size) + 2); err != nil {
				return 0, err
			}
		}
	case length >= 0:
		_, err := br.Discard(length)
		return status, err
	}
	return 0, errors.New("response without length (the connection would close)")
}
