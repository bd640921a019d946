// The workers' FIFO of task lists: a ring buffer that grows by doubling
// and is trimmed back when it has drained.

package background

// minQueue is the buffer a queue starts with.
const minQueue = 16

// keepQueue is the largest buffer trim leaves to a queue: 256 jobs, 16 KiB.
const keepQueue = 256

// queue is a FIFO of jobs in a ring buffer. It grows by doubling, and only
// trim shrinks it.
//
// pop does not shrink it: under a steady stream of short lists the queue
// fills and empties all the time, by hundreds or thousands of lists when
// the woken worker takes a while to be scheduled, and a queue that shrank as
// it emptied reallocated its way back up on every such burst, which cost
// more allocation than the lists themselves. The Runner trims the queue when
// workers have been idle instead (see Runner.expire), so that a burst does
// not pin its peak memory for the life of the process.
type queue struct {
	buf  []job
	head int32 // index of the oldest job
	n    int32 // jobs held (int32s: the Runner keeps a queue in one cache line with what a list touches)
}

func (q *queue) push(j job) {
	if int(q.n) == len(q.buf) {
		q.resize(max(minQueue, 2*len(q.buf)))
	}
	q.buf[(int(q.head)+int(q.n))%len(q.buf)] = j
	q.n++
}

func (q *queue) pop() (job, bool) {
	if q.n == 0 {
		return job{}, false
	}
	j := q.buf[q.head]
	q.buf[q.head] = job{} // let the list and its closures be collected once run
	q.head = int32((int(q.head) + 1) % len(q.buf))
	q.n--
	return j, true
}

// trim lets go of a buffer above keepQueue that is at most a quarter full:
// an empty queue then holds no buffer, a fuller one half its jobs' room or
// keepQueue, whichever is more.
func (q *queue) trim() {
	switch {
	case len(q.buf) <= keepQueue || int(q.n) > len(q.buf)/4:
	case q.n == 0:
		*q = queue{}
	default:
		q.resize(max(keepQueue, 2*int(q.n)))
	}
}

// resize moves the jobs, oldest first, to a buffer of size size >= q.n.
func (q *queue) resize(size int) {
	buf := make([]job, size)
	head, n := int(q.head), int(q.n)
	k := copy(buf, q.buf[head:min(head+n, len(q.buf))])
	copy(buf[k:], q.buf[:n-k])
	q.buf, q.head = buf, 0
}
