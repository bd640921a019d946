// Package brisk brings FastAPI's way of writing APIs to net/http: typed
// handler funcs whose path parameters, query values, headers, cookies, JSON
// bodies and dependencies are injected, background tasks that run after the
// response is sent, and one LIFO middleware stack.
//
//	app := brisk.New()
//	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
//		bg.AddTask(writeNotification, email, "some notification")
//		return Message{Message: "Notification sent in the background"}
//	})
//	app.Run()
//
// # Injection
//
// A handler's parameters are resolved by type, once, when it is registered,
// by the first rule that fits:
//
//   - context.Context, *http.Request, http.ResponseWriter, *BackgroundTasks.
//   - A type a provider returns (see Provide): the provider's result, computed
//     at most once per request.
//   - RawBody (the body's bytes, any content type) and io.Reader (the body as
//     a stream), within the route's body limit.
//   - A struct whose fields carry path, query, header, cookie or form tags: a
//     request model, bound field by field. `default:"…"` gives a default,
//     `validate:"…"` rules are checked with go-playground/validator; pointers
//     and fields with defaults are optional, slices take repeated values. A
//     field tagged `body:""` (or named Body) takes the JSON body; fields
//     tagged `form:"name"` take an urlencoded or multipart form's fields, and
//     UploadFile, *UploadFile and []UploadFile its files (see UploadFile).
//   - Any other struct, pointer to struct, map or slice: the JSON body. Its
//     non-pointer fields without omitempty or a default are required, as in
//     pydantic.
//   - A scalar (string, bool, ints, uints, floats, time.Time, time.Duration or
//     an encoding.TextUnmarshaler): the path parameters, in pattern order.
//
// Anything else panics at registration, naming the function, the parameter
// and its type. Per request nothing inspects types again: the compiled plan
// binds values through precomputed offsets and decoders.
//
// # Results and errors
//
// A handler returns T, (T, error), error or nothing. T is written as JSON
// with the route's status (see Status); a *Response is sent as it is; an
// *HTTPError (see Error) becomes {"detail": …}. Invalid input answers 422
// with FastAPI's detail list; a panic or unexpected error answers 500 and is
// logged with its stack.
package brisk
