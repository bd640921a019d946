// Registering the kinds of task a process works.

package durable

import (
	"context"
	"slices"

	"github.com/riverqueue/river"
)

// Workers is the set of task kinds a process can work: River's workers,
// with the kinds kept so that adding an unknown kind fails at the call and
// the startup log can list them.
type Workers struct {
	river *river.Workers
	kinds []string
}

// NewWorkers returns an empty set of workers.
func NewWorkers() *Workers { return &Workers{river: river.NewWorkers()} }

// Register adds a River worker for the kind of T. Registering a kind twice
// panics, as river.AddWorker does.
func Register[T river.JobArgs](ws *Workers, w river.Worker[T]) {
	river.AddWorker(ws.river, w)
	var args T
	ws.kinds = append(ws.kinds, args.Kind())
}

// HandleFunc registers fn as the worker for the kind of T: the short form
// of [Register] for a worker with River's default options.
//
//	durable.HandleFunc(workers, func(ctx context.Context, job *river.Job[SendEmail]) error {
//		return mailer.Send(ctx, job.Args.To, job.Args.Body)
//	})
func HandleFunc[T river.JobArgs](ws *Workers, fn func(ctx context.Context, job *river.Job[T]) error) {
	Register(ws, river.WorkFunc(fn))
}

// Kinds returns the registered kinds, sorted.
func (ws *Workers) Kinds() []string {
	k := slices.Clone(ws.kinds)
	slices.Sort(k)
	return k
}

func (ws *Workers) has(kind string) bool { return slices.Contains(ws.kinds, kind) }
