package pushtest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pushwire/push"
	"github.com/pushwire/push/pushtest"
)

var _ push.Clock = (*pushtest.Clock)(nil)

var start = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func TestClockSleepAdvancesAndRecords(t *testing.T) {
	c := pushtest.NewClock(start)
	assert.NoError(t, c.Sleep(context.Background(), 2*time.Second))
	assert.NoError(t, c.Sleep(context.Background(), time.Second))
	assert.Equal(t, start.Add(3*time.Second), c.Now())
	assert.Equal(t, []time.Duration{2 * time.Second, time.Second}, c.Sleeps())
}

func TestClockSleepHonoursContext(t *testing.T) {
	c := pushtest.NewClock(start)
	ctx, cancel := context.WithCancel(context.Background())
	c.OnSleep(func(time.Duration) { cancel() })
	assert.ErrorIs(t, c.Sleep(ctx, time.Minute), context.Canceled)
	assert.Equal(t, start, c.Now(), "an interrupted sleep does not move the clock")
}

func TestClockAdvanceAndSet(t *testing.T) {
	c := pushtest.NewClock(start)
	c.Advance(time.Hour)
	assert.Equal(t, start.Add(time.Hour), c.Now())
	c.Set(start)
	assert.Equal(t, start, c.Now())
}

func TestClockIsSafeForConcurrentUse(t *testing.T) {
	c := pushtest.NewClock(start)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { _ = c.Sleep(context.Background(), time.Second); _ = c.Now() })
	}
	wg.Wait()
	assert.Equal(t, start.Add(50*time.Second), c.Now())
	assert.Len(t, c.Sleeps(), 50)
}

func TestSystemClockSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, push.SystemClock().Sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, push.SystemClock().Sleep(context.Background(), time.Millisecond))
}

func TestClockMoved(t *testing.T) {
	c := pushtest.NewClock(start)
	moves := []struct {
		name string
		move func()
	}{
		{"Advance", func() { c.Advance(time.Minute) }},
		{"Set", func() { c.Set(start) }},
		{"Sleep", func() { _ = c.Sleep(context.Background(), time.Second) }},
	}
	for _, m := range moves {
		t.Run(m.name, func(t *testing.T) {
			moved := c.Moved()
			assert.Equal(t, moved, c.Moved(), "every caller until the move gets the same channel")
			select {
			case <-moved:
				t.Fatal("closed before the clock moved")
			default:
			}
			m.move()
			select {
			case <-moved:
			default:
				t.Fatal("still open after the clock moved")
			}
			assert.NotEqual(t, moved, c.Moved(), "a new channel waits for the next move")
		})
	}
}
