package push

import "context"

// CheckContext returns nil for a usable ctx, and for a nil one a *Error with
// Op op that says so: a nil context is a programming error that would
// otherwise panic deep inside net/http. Every Sender of this module calls it
// first.
func CheckContext(ctx context.Context, op string) error {
	if ctx != nil {
		return nil
	}
	return &Error{Op: op, Detail: "the context is nil; pass context.Background() or the caller's context"}
}
