// Running an example's main in a child process (the test binary itself),
// and stopping it with SIGTERM as a process manager would.

package exampletest

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mainEnv marks the child process in which an example's TestMain calls main.
const mainEnv = "BRISK_EXAMPLE_MAIN"

// guard bounds how long a broken program can keep a test waiting.
const guard = 20 * time.Second

// IsMain reports whether this test binary was started by StartMain to run
// the example's main: an example's TestMain then calls main instead of the
// tests.
//
//	func TestMain(m *testing.M) {
//		if exampletest.IsMain() {
//			main()
//			return
//		}
//		os.Exit(m.Run())
//	}
func IsMain() bool { return os.Getenv(mainEnv) == "1" }

// Program is an example's main running in a child process.
type Program struct {
	// URL is where it serves, as "http://127.0.0.1:port".
	URL string

	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan error
}

// StartMain runs the example's main in a child process (the test binary,
// re-executed), in dir, listening on a free loopback port given as HOST and
// PORT, and returns once the program logs that it serves. The process is
// killed when the test ends if it is still running.
func StartMain(t *testing.T, dir string) *Program {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	p := &Program{exited: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^$")
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), mainEnv+"=1", "HOST=127.0.0.1", "PORT="+strconv.Itoa(addr.Port))
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if strings.Contains(line, "brisk: serving") {
				select {
				case serving <- line:
				default:
				}
			}
		}
		p.exited <- p.cmd.Wait()
	}()
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	select {
	case line := <-serving:
		p.URL = "http://" + addr.String()
		if !strings.Contains(line, p.URL) {
			t.Fatalf("the program serves elsewhere than %s: %s", p.URL, line)
		}
	case err := <-p.exited:
		t.Fatalf("the program exited before serving (%v):\n%s", err, p.Stderr())
	case <-time.After(guard):
		t.Fatalf("the program did not serve within %s:\n%s", guard, p.Stderr())
	}
	return p
}

// Stop sends SIGTERM, as a process manager would, and returns how the
// program exited (nil: status 0).
func (p *Program) Stop(t *testing.T) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		return err
	case <-time.After(guard):
		t.Fatalf("the program did not exit within %s of SIGTERM:\n%s", guard, p.Stderr())
		return nil
	}
}

// Stderr returns what the program logged so far.
func (p *Program) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}
