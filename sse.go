// Server-Sent Events: the ServerSentEvent item, the EventStream and
// KeepAlive route options, and writing one event in the wire format.

package brisk

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ServerSentEvent is one event of a Server-Sent Events stream, for a
// handler on an EventStream route whose iterator yields it (or yields `any`
// values, some of them events). Every field is optional; empty ones are left
// out of the event.
//
// On the wire an event is its Comment lines (": …"), "event: Event", its
// data ("data: " and Data as JSON, or RawData as it is, a "data:" line per
// line), "id: ID" and "retry: " Retry in milliseconds, then a blank line.
// Event and ID must be single lines and ID must not contain NUL; Retry must
// not be negative; Data and RawData must not both be set. An event breaking
// these rules ends the stream as an error does (it would corrupt it).
type ServerSentEvent struct {
	// Event is the event type: a browser's EventSource dispatches it to
	// addEventListener(Event, …); without one, to onmessage.
	Event string
	// ID is the event's id: a browser sends the last one it saw back in the
	// Last-Event-ID header when it reconnects.
	ID string
	// Data is the payload, always written as JSON (a string is quoted).
	Data any
	// RawData is a payload written as it is, without JSON encoding (text,
	// HTML fragments, CSV); each of its lines becomes a "data:" line.
	RawData string
	// Retry tells the client how long to wait before reconnecting.
	Retry time.Duration
	// Comment is written as comment lines, which clients ignore.
	Comment string
}

// EventStream makes a streaming route (a handler returning iter.Seq[T] or
// iter.Seq2[T, error]) send Server-Sent Events instead of JSON Lines: the
// response is text/event-stream, each item an event whose data is the item
// as JSON, or the event itself for an item of type ServerSentEvent. While
// the iterator is idle a keep-alive comment (": ping") is sent every 15
// seconds (see KeepAlive). The route is documented with the event's item
// schema, as FastAPI's EventSourceResponse. Given to a route whose handler
// does not stream, registration panics.
func EventStream() RouteOption { return func(o *routeOptions) { o.eventStream = true } }

// KeepAlive sets how long an EventStream route's stream may stay idle before
// a keep-alive comment is sent (default 15 seconds, as FastAPI); zero or
// negative sends none. Proxies and load balancers close connections that stay
// silent, and a write to a client that went away is how the server notices
// it left. A keep-alive sent before the first item sends the response's
// headers: an error after that ends the stream instead of being answered.
func KeepAlive(d time.Duration) RouteOption {
	return func(o *routeOptions) { o.keepAlive, o.keepAliveSet = d, true }
}

// defaultKeepAlive is the keep-alive interval of EventStream routes.
const defaultKeepAlive = 15 * time.Second

// keepAliveComment is the comment sent while a stream is idle, FastAPI's.
const keepAliveComment = ": ping\n\n"

// Why an event is refused: each would corrupt the stream.
var (
	errEventLine    = errors.New("brisk: ServerSentEvent: Event and ID must be single lines")
	errEventIDNul   = errors.New("brisk: ServerSentEvent: ID must not contain NUL")
	errEventRetry   = errors.New("brisk: ServerSentEvent: Retry must not be negative")
	errEventRawData = errors.New("brisk: ServerSentEvent: set Data or RawData, not both")
)

// check reports why ev cannot be written, or nil.
func (ev *ServerSentEvent) check() error {
	switch {
	case strings.ContainsAny(ev.Event, "\r\n") || strings.ContainsAny(ev.ID, "\r\n"):
		return errEventLine
	case strings.IndexByte(ev.ID, 0) >= 0:
		return errEventIDNul
	case ev.Retry < 0:
		return errEventRetry
	case ev.Data != nil && ev.RawData != "":
		return errEventRawData
	}
	return nil
}

// appendEvent appends ev in the wire format; data is its Data as JSON (nil
// when it has none).
func appendEvent(b []byte, ev *ServerSentEvent, data []byte) []byte {
	if ev.Comment != "" {
		b = appendLines(b, ": ", ev.Comment)
	}
	if ev.Event != "" {
		b = append(append(append(b, "event: "...), ev.Event...), '\n')
	}
	switch {
	case ev.RawData != "":
		b = appendLines(b, "data: ", ev.RawData)
	case data != nil:
		// Compact JSON has no line breaks: one line.
		b = append(append(append(b, "data: "...), data...), '\n')
	}
	if ev.ID != "" {
		b = append(append(append(b, "id: "...), ev.ID...), '\n')
	}
	if ev.Retry > 0 {
		b = append(strconv.AppendInt(append(b, "retry: "...), ev.Retry.Milliseconds(), 10), '\n')
	}
	return append(b, '\n')
}

// appendDataLine appends a plain item's event: its JSON as the data.
func appendDataLine(b, data []byte) []byte {
	return append(append(append(b, "data: "...), data...), '\n', '\n')
}

// appendLines appends s as lines with prefix, split at the line ends the
// event-stream format knows (\r\n, \r, \n), so no text can end an event or
// start a field early.
func appendLines(b []byte, prefix, s string) []byte {
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			return append(append(append(b, prefix...), s...), '\n')
		}
		b = append(append(append(b, prefix...), s[:i]...), '\n')
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
}
