package memory

import (
	"slices"

	"github.com/pushwire/push"
)

// chunkSize is the number of Deliveries in one chunk of a deliveryLog.
const chunkSize = 256

// slabSize is the size of the buffers that hold the copies of small bodies;
// a body larger than slabSize/8 gets its own allocation.
const slabSize = 16 << 10

// deliveryLog is an append-only sequence of Deliveries kept in fixed-size
// chunks, so that appending never copies what is already kept (a Sender may
// hold millions of Deliveries in a benchmark), with the copies of small bodies
// packed into shared buffers. The zero deliveryLog is empty.
type deliveryLog struct {
	chunks [][]Delivery // every chunk has capacity chunkSize; all but the last are full
	n      int
	slab   []byte // spare room for body copies
}

// next appends a zero Delivery and returns it to be filled in.
func (l *deliveryLog) next() *Delivery {
	if l.n%chunkSize == 0 {
		l.chunks = append(l.chunks, make([]Delivery, 0, chunkSize))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = (*last)[:len(*last)+1]
	l.n++
	return &(*last)[len(*last)-1]
}

// len returns the number of Deliveries.
func (l *deliveryLog) len() int { return l.n }

// at returns the i-th Delivery, 0-based.
func (l *deliveryLog) at(i int) *Delivery { return &l.chunks[i/chunkSize][i%chunkSize] }

// each calls f for the first n Deliveries (all of them when n is larger), in
// order, until f returns false.
func (l *deliveryLog) each(n int, f func(*Delivery) bool) {
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
// It sets the fields one by one, skipping zero ones: a Delivery is written
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
