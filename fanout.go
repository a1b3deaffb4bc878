package push

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FanOutResult is what happened on one platform (one destination) of a
// FanOut or FanOutTo.
type FanOutResult struct {
	// Platform is the platform, as given to FanOut.
	Platform Platform
	// Receipt is the Sender's receipt; zero when nothing was sent.
	Receipt Receipt
	// Err is why the Alert was not rendered or not sent; nil on success.
	Err error
}

// FanOutResults holds one FanOutResult per platform, in the order given to
// FanOut.
type FanOutResults []FanOutResult

// Err returns nil when every platform succeeded, and otherwise a *FanOutError
// naming each platform that failed, so that a partial failure is never
// mistaken for success. errors.Is sees each platform's error through it.
func (r FanOutResults) Err() error {
	var failed []FanOutResult
	for _, res := range r {
		if res.Err != nil {
			failed = append(failed, res)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return &FanOutError{Failed: failed, Total: len(r)}
}

// FanOutError reports the platforms of a FanOut that failed.
type FanOutError struct {
	// Failed holds the results whose Err is set, in the order given to FanOut.
	Failed []FanOutResult
	// Total is the number of platforms FanOut was given.
	Total int
}

// Error says how many platforms failed, then each platform and its error:
// "push: fan-out failed on 2 of 3 platforms: windows: ...; adm: ...".
func (e *FanOutError) Error() string {
	var b strings.Builder
	b.WriteString("push: fan-out failed on ")
	b.WriteString(strconv.Itoa(len(e.Failed)) + " of " + strconv.Itoa(e.Total) + " platforms: ")
	for i, f := range e.Failed {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(string(f.Platform) + ": " + f.Err.Error())
	}
	return b.String()
}

// Unwrap returns each failed platform's error, for errors.Is and errors.As.
func (e *FanOutError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f.Err
	}
	return errs
}

// Destination is where FanOutTo sends one platform's rendering of an Alert:
// the platform and the target its notification goes to.
type Destination struct {
	Platform Platform
	Target   Target
}

// FanOut sends one Alert to several platforms through s, concurrently, and
// returns one result per platform in the order given (none for none). Every
// platform goes to the same target (tags, say, through a hub); FanOutTo
// gives each its own (device handles of each platform through a Router).
//
// FanOut first renders the Alert for every platform, on the calling goroutine
// and as of one instant read from the system clock (see Alert.NotificationAt);
// a platform whose rendering fails, or that is listed twice, gets that error
// and is not sent. It then calls
// s.Send once per remaining platform, each on its own goroutine, and waits for
// all of them, however long they take: s must honour ctx. A platform whose turn
// comes after ctx ended is not sent and gets ctx.Err().
//
// FanOut never hides a partial failure: check each result, or results.Err(),
// which joins the failures and names each platform. s must be safe for
// concurrent use, as every Sender is.
func FanOut(ctx context.Context, s Sender, a Alert, to Target, platforms ...Platform) FanOutResults {
	dests := make([]Destination, len(platforms))
	for i, p := range platforms {
		dests[i] = Destination{Platform: p, Target: to}
	}
	results := make(FanOutResults, len(dests))
	for i, p := range platforms {
		if slices.Contains(platforms[:i], p) {
			results[i].Err = invalid(ErrInvalidNotification, fmt.Sprintf("platform %s is listed twice; FanOut sends once per platform", p))
		}
	}
	fanOut(ctx, s, a, dests, results)
	return results
}

// FanOutTo sends one Alert to each destination through s, concurrently:
// each destination's platform rendering to its own target. It returns one
// result per destination, in the order given, and otherwise works as
// FanOut does. A platform may appear in several destinations.
//
// With a Router, one call reaches an iPhone through APNs, an Android phone
// through FCM and a browser through Web Push:
//
//	results := push.FanOutTo(ctx, router, alert,
//		push.Destination{Platform: push.Apple, Target: push.Device(iphoneToken)},
//		push.Destination{Platform: push.FCMV1, Target: push.Device(androidToken)},
//		push.Destination{Platform: push.Browser, Target: push.BrowserDevice(subscription)})
func FanOutTo(ctx context.Context, s Sender, a Alert, dests ...Destination) FanOutResults {
	results := make(FanOutResults, len(dests))
	fanOut(ctx, s, a, dests, results)
	return results
}

// fanOut renders a for each destination whose result has no error yet, as of
// one instant, and sends the renderings concurrently.
func fanOut(ctx context.Context, s Sender, a Alert, dests []Destination, results FanOutResults) {
	now := time.Now()
	notes := make([]Notification, len(dests))
	for i, d := range dests {
		results[i].Platform = d.Platform
		if results[i].Err == nil {
			notes[i], results[i].Err = a.NotificationAt(d.Platform, now)
		}
	}
	var wg sync.WaitGroup
	for i := range results {
		if results[i].Err != nil {
			continue
		}
		if s == nil {
			results[i].Err = invalid(ErrInvalidNotification, "push.FanOut needs a Sender, got nil")
			continue
		}
		wg.Go(func() {
			results[i].Receipt, results[i].Err = sendFanOut(ctx, s, notes[i], dests[i].Target)
		})
	}
	wg.Wait()
}

func sendFanOut(ctx context.Context, s Sender, n Notification, to Target) (Receipt, error) {
	if ctx == nil {
		return Receipt{}, CheckContext(ctx, "push: fan-out")
	}
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	return s.Send(ctx, n, to)
}
