package memory

import (
	"slices"
	"time"

	"github.com/pushwire/push"
)

// chunkSize is the number of Deliveries in one chunk of a deliveryLog.
const chunkSize = 256

// slabSize is the size of the buffers that hold the copies of small bodies;
// a body larger than slabSize/8 gets its own allocation.
const slabSize = 16 << 10

// entry is a Delivery as the Sender keeps it. The Sender's receipts carry
// nothing but an ID, so an entry keeps the ID alone: a chunk of entries is
// smaller than one of Deliveries, which keeps a native send's footprint down
// (BenchmarkSend).
type entry struct {
	envelope push.Envelope
	target   push.Target
	id       string
	time     time.Time
	reached  []string
	payloads []Payload
}

// delivery returns the Delivery e keeps, sharing e's slices and maps: clone it
// unless e is being forgotten.
func (e *entry) delivery() Delivery {
	return Delivery{
		Envelope: e.envelope,
		Target:   e.target,
		Receipt:  push.Receipt{ID: e.id},
		Time:     e.time,
		Reached:  e.reached,
		Payloads: e.payloads,
	}
}

// deliveryLog is an append-only sequence of Deliveries, kept as entries in
// fixed-size chunks so that appending never copies what is already kept (a
// Sender may hold millions of Deliveries in a benchmark), with the copies of
// small bodies packed into shared buffers. The zero deliveryLog is empty.
type deliveryLog struct {
	chunks [][]entry // every chunk has capacity chunkSize; all but the last are full
	n      int
	slab   []byte // spare room for body copies
}

// next appends a zero entry and returns it to be filled in.
func (l *deliveryLog) next() *entry {
	if l.n%chunkSize == 0 {
		l.chunks = append(l.chunks, make([]entry, 0, chunkSize))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = (*last)[:len(*last)+1]
	l.n++
	return &(*last)[len(*last)-1]
}

// len returns the number of Deliveries.
func (l *deliveryLog) len() int { return l.n }

// at returns the i-th entry, 0-based.
func (l *deliveryLog) at(i int) *entry { return &l.chunks[i/chunkSize][i%chunkSize] }

// each calls f for the first n entries (all of them when n is larger), in
// order, until f returns false.
func (l *deliveryLog) each(n int, f func(*entry) bool) {
	n = min(n, l.n)
	for i := range n {
		if !f(l.at(i)) {
			return
		}
	}
}

// copyEnvelope sets *dst, a zero Envelope, to a deep copy of e, as e.Clone
// does, with the body in a slab when it is small. Each body copy has its
// capacity clipped to its length, so appending to one never reaches another.
// It sets the fields one by one, skipping zero ones: an entry is written
// while the garbage collector may be marking, when every pointer written
// costs a write barrier.
func (l *deliveryLog) copyEnvelope(dst *push.Envelope, e push.Envelope) {
	dst.Platform, dst.ContentType, dst.Tags = e.Platform, e.ContentType, e.Tags
	if e.Header != nil {
		dst.Header = e.Header.Clone()
	}
	if e.Devices != nil {
		dst.Devices = slices.Clone(e.Devices)
	}
	if e.Subscriptions != nil {
		dst.Subscriptions = slices.Clone(e.Subscriptions)
	}
	if !e.ScheduleTime.IsZero() {
		dst.ScheduleTime = e.ScheduleTime
	}
	dst.Body = l.copyBody(e.Body)
}

// copyBody returns a copy of b, in a slab when it is small.
func (l *deliveryLog) copyBody(b []byte) []byte {
	if len(b) == 0 || len(b) > slabSize/8 {
		return slices.Clone(b)
	}
	if cap(l.slab)-len(l.slab) < len(b) {
		l.slab = make([]byte, 0, slabSize)
	}
	start := len(l.slab)
	l.slab = append(l.slab, b...)
	return l.slab[start:len(l.slab):len(l.slab)]
}
