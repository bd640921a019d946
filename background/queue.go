package background

// minQueue is the smallest buffer a non-empty queue keeps: below it, shrinking
// would only trade memory for reallocations.
const minQueue = 16

// queue is a FIFO of jobs in a ring buffer. It grows by doubling and shrinks
// by half when a quarter full, so that a burst of queued lists does not pin
// its peak memory for the life of the process.
type queue struct {
	buf  []job
	head int // index of the oldest job
	n    int // jobs held
}

func (q *queue) push(j job) {
	if q.n == len(q.buf) {
		q.resize(max(minQueue, 2*len(q.buf)))
	}
	q.buf[(q.head+q.n)%len(q.buf)] = j
	q.n++
}

func (q *queue) pop() (job, bool) {
	if q.n == 0 {
		return job{}, false
	}
	j := q.buf[q.head]
	q.buf[q.head] = job{} // let the list and its closures be collected once run
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	switch {
	case q.n == 0 && len(q.buf) > minQueue:
		*q = queue{} // idle: hold nothing
	case len(q.buf) > minQueue && q.n < len(q.buf)/4:
		q.resize(len(q.buf) / 2)
	}
	return j, true
}

// resize moves the jobs, oldest first, to a buffer of size size >= q.n.
func (q *queue) resize(size int) {
	buf := make([]job, size)
	k := copy(buf, q.buf[q.head:min(q.head+q.n, len(q.buf))])
	copy(buf[k:], q.buf[:q.n-k])
	q.buf, q.head = buf, 0
}
