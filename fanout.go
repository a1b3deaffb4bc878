package push

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FanOutResult is what happened on one platform of a FanOut.
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

// FanOut sends one Alert to several platforms through s, concurrently, and
// returns one result per platform in the order given (none for none).
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
	results := make(FanOutResults, len(platforms))
	notes := renderFanOut(a, time.Now(), platforms, results)
	var wg sync.WaitGroup
	for i := range results {
		if results[i].Err != nil {
			continue
		}
		if s == nil {
			results[i].Err = invalid(ErrInvalidNotification, "push.FanOut needs a Sender, got nil")
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].Receipt, results[i].Err = sendFanOut(ctx, s, notes[i], to)
		}()
	}
	wg.Wait()
	return results
}

// renderFanOut renders a for each platform as of now, filling results with the
// platforms and any rendering error.
func renderFanOut(a Alert, now time.Time, platforms []Platform, results FanOutResults) []Notification {
	notes := make([]Notification, len(platforms))
	for i, p := range platforms {
		results[i].Platform = p
		for _, q := range platforms[:i] {
			if q == p {
				results[i].Err = invalid(ErrInvalidNotification, fmt.Sprintf("platform %s is listed twice; FanOut sends once per platform", p))
				break
			}
		}
		if results[i].Err == nil {
			notes[i], results[i].Err = a.NotificationAt(p, now)
		}
	}
	return notes
}

func sendFanOut(ctx context.Context, s Sender, n Notification, to Target) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	return s.Send(ctx, n, to)
}
