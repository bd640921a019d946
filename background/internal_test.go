package background

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaults(t *testing.T) {
	r := NewRunner(RunnerConfig{})
	assert.Equal(t, DefaultMaxConcurrent, r.max)
	assert.Same(t, slog.Default(), r.logger(), "a nil Logger means slog.Default()")

	log := slog.New(slog.DiscardHandler)
	assert.Same(t, log, NewRunner(RunnerConfig{Logger: log}).logger())
}

// Worker goroutines never exceed MaxConcurrent, however many lists are
// waiting; queued lists hold a queue entry, not a goroutine; and workers exit
// once the queue is empty.
func TestWorkersAreBoundedAndExitWhenIdle(t *testing.T) {
	const maxConcurrent, lists = 3, 10
	r := NewRunner(RunnerConfig{MaxConcurrent: maxConcurrent})
	started, release := make(chan struct{}), make(chan struct{})
	var running, peak, ran atomic.Int32
	for range lists {
		var tasks Tasks
		tasks.Add(func(context.Context) error {
			n := running.Add(1)
			for p := peak.Load(); n > p; p = peak.Load() {
				if peak.CompareAndSwap(p, n) {
					break
				}
			}
			started <- struct{}{}
			<-release
			running.Add(-1)
			ran.Add(1)
			return nil
		})
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	for range maxConcurrent {
		<-started
	}
	r.mu.Lock()
	workers, queued, pending := r.workers, r.queue.n, r.pending
	r.mu.Unlock()
	assert.Equal(t, maxConcurrent, workers)
	assert.Equal(t, lists-maxConcurrent, queued)
	assert.Equal(t, lists, pending)

	close(release)
	go func() { // the remaining tasks report their start too
		for range lists - maxConcurrent {
			<-started
		}
	}()
	require.NoError(t, r.Shutdown(context.Background()))
	assert.Equal(t, int32(lists), ran.Load())
	assert.LessOrEqual(t, peak.Load(), int32(maxConcurrent))

	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Equal(t, 0, r.workers, "idle workers exit")
	assert.Equal(t, 0, r.queue.n)
}

func TestQueueIsFIFOAcrossGrowthWrapAndShrink(t *testing.T) {
	var q queue
	next, want := 0, 0
	push := func(k int) {
		for range k {
			q.push(job{n: next})
			next++
		}
	}
	pop := func(k int) {
		for range k {
			j, ok := q.pop()
			require.True(t, ok)
			require.Equal(t, want, j.n)
			want++
		}
	}
	push(10)
	pop(7)   // head moves forward
	push(20) // wraps, then grows
	pop(3)
	push(200) // grows several times
	assert.Equal(t, 220, q.n)
	pop(215) // shrinks as it empties
	assert.LessOrEqual(t, len(q.buf), 4*minQueue)
	pop(5)
	_, ok := q.pop()
	assert.False(t, ok)
	assert.LessOrEqual(t, len(q.buf), minQueue, "an empty queue holds no buffer past the minimum")
}
