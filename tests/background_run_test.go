package tests

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// bgRunHelperEnv marks the child process of TestBackgroundRunDrainsOnSIGTERM.
const bgRunHelperEnv = "BRISK_BG_RUN_HELPER"

// TestBackgroundRunHelperProcess is the child process of
// TestBackgroundRunDrainsOnSIGTERM: an app served by Run whose task blocks
// until a line arrives on stdin. It reports on stdout.
func TestBackgroundRunHelperProcess(t *testing.T) {
	if os.Getenv(bgRunHelperEnv) != "1" {
		t.Skip("the child process of TestBackgroundRunDrainsOnSIGTERM")
	}
	app := brisk.New() // logs to stderr, where the parent reads them
	app.Post("/slow", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(ctx context.Context) error {
			fmt.Println("task started")
			_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
			fmt.Println("task finished, ctx live:", ctx.Err() == nil)
			return nil
		})
		return "queued"
	})
	fmt.Println("run returned:", app.Run())
}

// TestBackgroundRunDrainsOnSIGTERM: Run, on SIGTERM, stops serving, then
// waits for the blocked task before it returns nil. It runs Run in a child
// process (this test binary), since the signal is the process's.
func TestBackgroundRunDrainsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	addr := freeAddr(t)
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestBackgroundRunHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), bgRunHelperEnv+"=1", "HOST="+host, "PORT="+port)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	// The child's reports and logs, line by line.
	lines := func(r io.Reader, keep func(string) bool) <-chan string {
		ch := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				if keep(sc.Text()) {
					ch <- sc.Text()
				}
			}
			close(ch)
		}()
		return ch
	}
	reports := lines(stdout, func(s string) bool {
		return strings.HasPrefix(s, "task ") || strings.HasPrefix(s, "run returned")
	})
	logs := lines(stderr, func(s string) bool { return strings.Contains(s, "brisk: ") })
	exited := make(chan error, 1)
	// waitLog reports, on the channel it returns, the first log line
	// containing msg, or "" if the child ended first.
	waitLog := func(msg string) <-chan string {
		found := make(chan string, 1)
		go func() {
			for line := range logs {
				if strings.Contains(line, msg) {
					found <- line
					return
				}
			}
			found <- ""
		}()
		return found
	}
	serving := bgRecv(t, waitLog("brisk: serving"), "the child to serve")
	require.Contains(t, serving, addr)
	assert.Contains(t, serving, "docs=http://"+addr+"/docs", "the startup log names the docs URL")

	// One request, over a connection we keep: the server closes it when
	// it stops serving.
	conn, err := net.DialTimeout("tcp", addr, bgGuard)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(bgGuard)))
	_, err = io.WriteString(conn, "POST /slow HTTP/1.1\r\nHost: "+addr+"\r\nContent-Length: 0\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `"queued"`, string(body))
	assert.Equal(t, "task started", bgRecv(t, reports, "the task to start"))

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NotEmpty(t, bgRecv(t, waitLog("brisk: shutting down"), "the child to shut down"))
	// The server stopped serving: it closed our idle connection.
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF)

	// Run is now waiting for the task, which waits for us.
	_, err = io.WriteString(stdin, "go\n")
	require.NoError(t, err)
	assert.Equal(t, "task finished, ctx live: true", bgRecv(t, reports, "the task to finish"))
	assert.Equal(t, "run returned: <nil>", bgRecv(t, reports, "Run to return"))
	go func() {
		for range reports { // read the pipes to their end before Wait
		}
		for range logs {
		}
		exited <- cmd.Wait()
	}()
	assert.NoError(t, bgRecv(t, exited, "the child to exit"), "exit status")
}
