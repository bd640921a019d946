// Package background runs the work a request asks for after its response:
// FastAPI's BackgroundTasks, for Brisk.
//
// A request gets one [Tasks], created lazily and shared by every provider and
// the handler of that request, so tasks are kept in the order they were
// added: a dependency's tasks before the handler's. When the response is
// complete the App hands the list to a [Runner], which runs the tasks one
// after another, off the request's goroutine, then calls the request's
// cleanups.
//
// The package exists on its own (the root package aliases [Tasks] as
// brisk.BackgroundTasks) so that the scheduling rules live in one place and
// can be tested without HTTP:
//
//   - a task's error or panic is logged with the task's name and does not
//     stop the tasks after it, the cleanups, or the process;
//   - tasks get a context that the client going away does not cancel, but
//     that [Runner.Shutdown] cancels when its deadline passes;
//   - at most [RunnerConfig.MaxConcurrent] lists run at once; the rest wait
//     in a FIFO queue that costs memory, not goroutines;
//   - a task that never returns holds its own list and one worker, not the
//     others; [RunnerConfig.TaskTimeout] bounds each task, and a queue that
//     builds up behind busy workers is logged at Warn level;
//   - [Runner.Shutdown] drains the queue instead of dropping it.
package background
