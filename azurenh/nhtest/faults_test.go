package nhtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/pushwire/push/azurenh/nhtest"
)

func TestFaultThrottle(t *testing.T) {
	e := newEmulator(t)
	e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond})
	for range 2 {
		resp := e.do(appleSend(""))
		resp.expect(t, http.StatusTooManyRequests, "Too Many Requests (injected by nhtest).")
		if got := resp.header.Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After = %q, want 2 (seconds, rounded up)", got)
		}
		if resp.header.Get("TrackingId") == "" {
			t.Error("no TrackingId on an injected error")
		}
	}
	if len(e.Sends()) != 0 {
		t.Error("a throttled send was recorded")
	}
	e.ClearFaults()
	e.do(appleSend("")).expect(t, http.StatusCreated, "")
}

func TestFaultTimes(t *testing.T) {
	e := newEmulator(t)
	e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: http.StatusServiceUnavailable, Times: 3, Detail: "Busy."})
	e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Status: http.StatusInternalServerError, Times: 1})
	for range 3 {
		e.do(appleSend("")).expect(t, http.StatusServiceUnavailable, "Busy.")
	}
	e.do(appleSend("")).expect(t, http.StatusInternalServerError, "Internal Server Error")
	e.do(appleSend("")).expect(t, http.StatusCreated, "")
}

func TestFaultRoute(t *testing.T) {
	e := newEmulator(t)
	e.Fail(nhtest.Fault{Route: nhtest.RouteInstallations, Status: http.StatusServiceUnavailable})
	e.do(appleSend("")).expect(t, http.StatusCreated, "")
	e.do(req{method: http.MethodGet, path: "/installations/x"}).expect(t, http.StatusServiceUnavailable, "")
	e.ClearFaults()
	e.Fail(nhtest.Fault{Status: http.StatusBadGateway, Times: 1}) // RouteAny
	e.do(req{method: http.MethodDelete, path: "/schedulednotifications/x"}).expect(t, http.StatusBadGateway, "")
}

func TestFaultDelay(t *testing.T) {
	e := newEmulator(t)
	t.Run("then served", func(t *testing.T) {
		e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Delay: 10 * time.Millisecond, Times: 1})
		e.do(appleSend("")).expect(t, http.StatusCreated, "")
	})
	t.Run("client gives up", func(t *testing.T) {
		e.Reset()
		e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Delay: time.Hour, Times: 1})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := e.Client().Do(e.newRequest(appleSend("")).WithContext(ctx))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the client's deadline", err)
		}
		if len(e.Sends()) != 0 {
			t.Error("a send abandoned during its delay was recorded")
		}
	})
	t.Run("delay then status", func(t *testing.T) {
		e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Delay: time.Millisecond, Status: http.StatusGatewayTimeout, Times: 1})
		e.do(appleSend("")).expect(t, http.StatusGatewayTimeout, "")
	})
}

func TestFaultDrop(t *testing.T) {
	e := newEmulator(t)
	e.Fail(nhtest.Fault{Route: nhtest.RouteSend, Drop: true, Times: 1})
	resp, err := e.Client().Do(e.newRequest(appleSend("")))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want a dropped connection", resp.StatusCode)
	}
	if n := len(e.Sends()); n != 1 {
		t.Errorf("%d sends recorded, want 1: a dropped request takes effect", n)
	}
	e.do(appleSend("")).expect(t, http.StatusCreated, "")
}

func TestCloseEndsDelays(t *testing.T) {
	s := nhtest.NewServer()
	s.Fail(nhtest.Fault{Delay: time.Hour})
	done := make(chan error, 1)
	go func() {
		hr, _ := http.NewRequest(http.MethodGet, s.URL()+"/hub/installations/x?api-version=2020-06", nil)
		resp, err := s.Client().Do(hr)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the request reach the delay; Close must end it either way
	s.Close()
	<-done
	s.Close() // a second Close does nothing
}
