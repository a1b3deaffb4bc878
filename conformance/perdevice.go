package conformance

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pushwire/push"
)

// perDevice runs a case of per-device results, on the first preferred
// platform the Sender delivers to a device list reporting each handle.
func (r *runner) perDevice(c testCase) error {
	p, ok := r.perDevicePlatform()
	if !ok {
		return fmt.Errorf("%w: the Sender reports nothing per device (no platform's push.Support has PerDevice with Devices)", errSkip)
	}
	n := sample(p)
	switch c.op {
	case opResultsInOrder:
		return r.resultsInOrder(n)
	case opDuplicates:
		return r.duplicates(n)
	case opMixedDead:
		return r.mixedDead(n)
	case opDeadSingle:
		return r.deadSingle(n)
	case opCancelMidList:
		return r.cancelMidList(n)
	}
	return fmt.Errorf("the suite has no case of op %d", c.op)
}

func (r *runner) perDevicePlatform() (push.Platform, bool) {
	for _, p := range preferred() {
		if s := r.caps.Platforms[p]; s.PerDevice && s.Targets.Has(push.TargetDevices) {
			return p, true
		}
	}
	return "", false
}

func (r *runner) resultsInOrder(n push.Notification) error {
	to := r.devices.target(n.Platform, 5, false)
	rec, err := r.h.Sender().Send(r.t.Context(), n, to)
	if err != nil {
		return fmt.Errorf("the send failed: %v", err)
	}
	if err := checkResults(rec.Results, to.Devices(), nil); err != nil {
		return err
	}
	return r.checkEachOnce(to.Devices(), nil)
}

func (r *runner) duplicates(n push.Notification) error {
	three := r.devices.target(n.Platform, 3, false)
	var to push.Target
	if subs := three.Subscriptions(); subs != nil {
		to = push.BrowserDevices(subs[0], subs[1], subs[0], subs[2], subs[1])
	} else {
		hs := three.Devices()
		to = push.Devices(hs[0], hs[1], hs[0], hs[2], hs[1])
	}
	rec, err := r.h.Sender().Send(r.t.Context(), n, to)
	if err != nil {
		return fmt.Errorf("the send failed: %v", err)
	}
	if err := checkResults(rec.Results, three.Devices(), nil); err != nil {
		return err
	}
	return r.checkEachOnce(three.Devices(), nil)
}

func (r *runner) mixedDead(n push.Notification) error {
	u, ok := r.h.(Unregisterer)
	if !ok {
		return fmt.Errorf("%w: the harness cannot mark a handle dead (it does not implement Unregisterer)", errSkip)
	}
	to := r.devices.target(n.Platform, 5, false)
	hs := to.Devices()
	dead := map[string]bool{hs[1]: true, hs[3]: true}
	u.Unregister(r.t, hs[1])
	u.Unregister(r.t, hs[3])
	rec, err := r.h.Sender().Send(r.t.Context(), n, to)
	if err := checkResults(rec.Results, hs, dead); err != nil {
		return err
	}
	var de *push.DevicesError
	switch {
	case err == nil:
		return errors.New("the send returned no error though two handles are dead; a caller who only checks err must see every failure")
	case !errors.Is(err, push.ErrUnregistered):
		return fmt.Errorf("the send's error %q does not match push.ErrUnregistered (errors.Is)", err)
	case !errors.As(err, &de):
		return fmt.Errorf("the send's error %q is not a *push.DevicesError (see push.ResultsError)", err)
	case de.Total != 5 || len(de.Failed) != 2 || de.Failed[0].Handle != hs[1] || de.Failed[1].Handle != hs[3]:
		return fmt.Errorf("the *push.DevicesError says %d of %d failed (%v); want handles 2 and 4 of 5, in order", len(de.Failed), de.Total, failedHandles(de))
	}
	return r.checkEachOnce(hs, dead)
}

func (r *runner) deadSingle(n push.Notification) error {
	u, ok := r.h.(Unregisterer)
	if !ok {
		return fmt.Errorf("%w: the harness cannot mark a handle dead (it does not implement Unregisterer)", errSkip)
	}
	to := r.devices.target(n.Platform, 1, true)
	hs := to.Devices()
	u.Unregister(r.t, hs[0])
	rec, err := r.h.Sender().Send(r.t.Context(), n, to)
	var pe *push.Error
	switch {
	case !errors.Is(err, push.ErrUnregistered):
		return fmt.Errorf("the send to a dead handle returned %v; want an error matching push.ErrUnregistered", err)
	case !errors.As(err, &pe):
		return fmt.Errorf("the send's error %q is not a *push.Error", err)
	}
	if err := checkResults(rec.Results, hs, map[string]bool{hs[0]: true}); err != nil {
		return err
	}
	return r.checkEachOnce(hs, map[string]bool{hs[0]: true})
}

// cancelMidList cancels a large send once the service has received a few of
// its requests.
func (r *runner) cancelMidList(n push.Notification) error {
	w, ok := r.h.(Watcher)
	if !ok {
		return fmt.Errorf("%w: the harness cannot report requests as they arrive (it does not implement Watcher)", errSkip)
	}
	const handles, cancelAfter = 1000, 10
	to := r.devices.target(n.Platform, handles, false)
	ctx, cancel := context.WithCancel(r.t.Context())
	defer cancel()
	var received atomic.Int64
	w.Watch(r.t, func() {
		if received.Add(1) == cancelAfter {
			cancel()
		}
	})
	rec, err := r.h.Sender().Send(ctx, n, to)
	if !errors.Is(err, push.ErrNotAttempted) {
		return fmt.Errorf("a send cancelled part way returned %v; want an error matching push.ErrNotAttempted for the handles it did not send", err)
	}
	hs := to.Devices()
	if len(rec.Results) != len(hs) {
		return fmt.Errorf("a send to %d handles cancelled part way returned %d Results; want one per handle", len(hs), len(rec.Results))
	}
	sent := r.requestsByHandle()
	notAttempted := 0
	for i, res := range rec.Results {
		c := sent[r.devices.canonicalHandle(hs[i])]
		switch {
		case res.Handle != hs[i]:
			return fmt.Errorf("the Result of handle %d is for handle %.40q; want %.40q (input order)", i+1, res.Handle, hs[i])
		case errors.Is(res.Err, push.ErrNotAttempted) && c > 0:
			return fmt.Errorf("handle %d is reported not attempted, but the service received it %d time(s)", i+1, c)
		case errors.Is(res.Err, push.ErrNotAttempted):
			notAttempted++
		case res.Err == nil && c != 1:
			return fmt.Errorf("handle %d is reported accepted, but the service received it %d time(s)", i+1, c)
		}
	}
	if notAttempted == 0 {
		return fmt.Errorf("no handle is reported not attempted, though the context ended after %d of %d requests", cancelAfter, handles)
	}
	return waitNoGoroutines(r.h.Sender())
}

// checkResults checks one Result per handle, in order: the dead ones
// failed with push.ErrUnregistered, the others accepted with an ID.
func checkResults(results []push.Result, handles []string, dead map[string]bool) error {
	if len(results) != len(handles) {
		return fmt.Errorf("a send to %d handles returned %d Results in Receipt.Results; want one per handle", len(handles), len(results))
	}
	for i, res := range results {
		switch {
		case res.Handle != handles[i]:
			return fmt.Errorf("the Result of handle %d is for handle %.40q; want %.40q: Results follow the target's handles, in order", i+1, res.Handle, handles[i])
		case dead[res.Handle] && !res.Unregistered():
			return fmt.Errorf("the Result of handle %d, which is dead, has error %v; want one matching push.ErrUnregistered", i+1, res.Err)
		case !dead[res.Handle] && res.Err != nil:
			return fmt.Errorf("the Result of handle %d failed: %v", i+1, res.Err)
		case !dead[res.Handle] && res.ID == "":
			return fmt.Errorf("the Result of handle %d is accepted but has no ID; report the service's message ID", i+1)
		}
	}
	return nil
}

// checkEachOnce checks that the service received exactly one request for
// each handle, and none for any other: a dead handle is never retried.
func (r *runner) checkEachOnce(handles []string, dead map[string]bool) error {
	sent := r.requestsByHandle()
	for i, h := range handles {
		c := r.devices.canonicalHandle(h)
		switch n := sent[c]; {
		case n != 1 && dead[h]:
			return fmt.Errorf("the service received %d requests for handle %d, which is dead; a dead handle is never retried (and Envelopes must include refused requests)", n, i+1)
		case n != 1:
			return fmt.Errorf("the service received %d requests for handle %d; want exactly 1", n, i+1)
		}
		delete(sent, c)
	}
	for h, n := range sent {
		return fmt.Errorf("the service received %d request(s) for %.40q, which the send did not name", n, h)
	}
	return nil
}

// requestsByHandle counts the requests the service received per canonical
// handle.
func (r *runner) requestsByHandle() map[string]int {
	counts := map[string]int{}
	for _, e := range r.envelopes() {
		for _, h := range e.Devices {
			counts[h]++
		}
	}
	return counts
}

func failedHandles(e *push.DevicesError) []string {
	var hs []string
	for _, f := range e.Failed {
		hs = append(hs, fmt.Sprintf("%.12s...", f.Handle))
	}
	return hs
}

// waitNoGoroutines waits up to two seconds for the goroutines running code
// of the Sender's package, or of package direct, to end: a send must leave
// none behind.
func waitNoGoroutines(s push.Sender) error {
	pkgs := []string{"github.com/pushwire/push/direct."}
	if t := reflect.TypeOf(s); t != nil {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if p := t.PkgPath(); p != "" {
			pkgs = append(pkgs, p+".")
		}
	}
	var left string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if left = goroutineIn(pkgs); left == "" {
			return nil
		}
	}
	return fmt.Errorf("a goroutine of the Sender is still running after the cancelled send returned:\n%s", left)
}

// goroutineIn returns the stack of a goroutine whose frames include a
// function of one of the packages, or "". Test goroutines (the caller's,
// other tests', a TestMain's) are not the Sender's and are passed over.
func goroutineIn(pkgs []string) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "\ntesting.tRunner(") || strings.Contains(g, "\ntesting.(*M).Run(") {
			continue
		}
		for _, line := range strings.Split(g, "\n") {
			for _, p := range pkgs {
				if strings.HasPrefix(line, p) || strings.HasPrefix(line, "created by "+p) {
					return g
				}
			}
		}
	}
	return ""
}
