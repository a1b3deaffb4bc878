package nhtest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// TestMain fails the package if any test leaves a goroutine behind: every Server
// is closed by its test, and Close must leave nothing running.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s := nhtest.NewServer()
	s.Fail(nhtest.Fault{Route: nhtest.RouteInstallations, Drop: true, Times: 1})
	for _, path := range []string{"/hub/installations/a", "/hub/installations/b"} {
		hr, _ := http.NewRequest(http.MethodGet, s.URL()+path+"?api-version=2020-06", nil)
		if resp, err := s.Client().Do(hr); err == nil {
			resp.Body.Close()
		}
	}
	s.Close()
}

// TestConcurrentUse runs sends, installation writes, faults and inspection at once;
// run it with -race.
func TestConcurrentUse(t *testing.T) {
	e := newEmulator(t)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				in := nhtest.Installation{InstallationID: id, Platform: push.Apple, PushChannel: nhtest.PushChannel{Handle: id}, Tags: []string{"all"}}
				if err := e.PutInstallation(in); err != nil {
					t.Error(err)
					return
				}
				resp := e.do(appleSend("all"))
				if resp.status != http.StatusCreated {
					t.Errorf("status %d", resp.status)
					return
				}
				_ = e.Sends()
				_, _ = e.Installation(id)
			}
		})
	}
	wg.Go(func() {
		for range each {
			e.Fail(nhtest.Fault{Route: nhtest.RouteOther, Status: 500, Times: 1})
			_ = e.Installations()
			_ = e.Scheduled()
		}
	})
	wg.Wait()
	if n := len(e.Sends()); n != workers*each {
		t.Errorf("%d sends recorded, want %d", n, workers*each)
	}
	if n := len(e.Installations()); n != workers*each {
		t.Errorf("%d installations, want %d", n, workers*each)
	}
}
