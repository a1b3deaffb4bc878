package telemetry

import (
	"maps"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/pushwire/push"
)

// The attribute keys. See the package documentation for their values.
const (
	keyProvider  = attribute.Key("push.provider")
	keyOperation = attribute.Key("push.operation")
	keyPlatform  = attribute.Key("push.platform")
	keyKind      = attribute.Key("push.target.kind")
	keyErrorType = attribute.Key("error.type")
	keyOutcome   = attribute.Key("push.outcome")
	keyDevices   = attribute.Key("push.devices")
	keyFailed    = attribute.Key("push.devices.failed")
)

// operation is what a measurement is of: a call, or (opDevice) one device
// handle's outcome.
type operation uint8

const (
	opSend operation = iota
	opSchedule
	opCancel
	opDevice
)

// String returns the operation's push.operation value.
func (o operation) String() string {
	switch o {
	case opSend:
		return "send"
	case opSchedule:
		return "schedule"
	case opCancel:
		return "cancel"
	}
	return "device"
}

// spanName is the name of the operation's span.
func (o operation) spanName() string {
	switch o {
	case opSend:
		return "push.send"
	case opSchedule:
		return "push.schedule"
	}
	return "push.cancel"
}

// platformInvalid is the platform index of a Platform the core does not
// know; the others are their position in push.Platforms().
var (
	platforms       = push.Platforms()
	platformInvalid = uint8(len(platforms))
)

// platformIndex returns p's index in platforms, or platformInvalid.
func platformIndex(p push.Platform) uint8 {
	for i, q := range platforms {
		if p == q {
			return uint8(i)
		}
	}
	return platformInvalid
}

func platformName(i uint8) string {
	if i == platformInvalid {
		return "invalid"
	}
	return string(platforms[i])
}

func kindName(k push.TargetKind) string {
	if k < push.TargetBroadcast || k > push.TargetDevices {
		return "none"
	}
	return k.String()
}

// key identifies one attribute set: a measurement's operation, platform,
// target kind and error class (for opDevice, the handle's outcome).
type key struct {
	op       operation
	platform uint8
	kind     push.TargetKind
	class    class
}

func newKey(op operation, p push.Platform, k push.TargetKind) key {
	if k > push.TargetDevices {
		k = 0
	}
	return key{op: op, platform: platformIndex(p), kind: k}
}

func (k key) with(c class) key { k.class = c; return k }

func (k key) packed() uint32 {
	return uint32(k.op)<<24 | uint32(k.platform)<<16 | uint32(k.kind)<<8 | uint32(k.class)
}

// attrs is one attribute set in the forms the API calls take, built once.
type attrs struct {
	add    []metric.AddOption
	record []metric.RecordOption
	start  []trace.SpanStartOption // a span's, for a call's class-free key
}

// attrCache builds each attrs on first use and hands the same one out
// after. Lookups are lock-free reads of an immutable map; adding an entry
// copies it, which happens once per combination (a few dozen in practice,
// a few thousand at most).
type attrCache struct {
	provider  attribute.KeyValue   // the wrapped Sender's, for cancels
	providers []attribute.KeyValue // by platform index: the provider of each platform's route
	m         atomic.Pointer[map[uint32]*attrs]
	mu        sync.Mutex // serializes adding entries
}

// router is implemented by a Sender that sends each platform through a
// Sender of its own, as a *push.Router does.
type router interface {
	Route(p push.Platform) push.Sender
}

// newAttrCache reads the provider names of next: its own, and for a
// router that of each platform's route.
func newAttrCache(next push.Sender) *attrCache {
	caps, _ := push.CapabilitiesOf(next)
	c := &attrCache{provider: keyProvider.String(providerName(caps.Provider)), providers: make([]attribute.KeyValue, len(platforms)+1)}
	r, isRouter := next.(router)
	for i := range c.providers {
		c.providers[i] = c.provider
		if isRouter && uint8(i) != platformInvalid {
			if route := r.Route(platforms[i]); route != nil {
				caps, _ := push.CapabilitiesOf(route)
				c.providers[i] = keyProvider.String(providerName(caps.Provider))
			}
		}
	}
	return c
}

func providerName(p string) string {
	if p == "" {
		return "unknown"
	}
	return p
}

// get returns the attrs of k.
func (c *attrCache) get(k key) *attrs {
	if m := c.m.Load(); m != nil {
		if a, ok := (*m)[k.packed()]; ok {
			return a
		}
	}
	return c.add(k)
}

func (c *attrCache) add(k key) *attrs {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if a, ok := (*old)[k.packed()]; ok {
			return a
		}
	}
	m := map[uint32]*attrs{}
	if old != nil {
		m = maps.Clone(*old)
	}
	a := c.build(k)
	m[k.packed()] = a
	c.m.Store(&m)
	return a
}

// build makes the attrs of k.
func (c *attrCache) build(k key) *attrs {
	kvs := []attribute.KeyValue{c.provider}
	if k.op != opCancel {
		kvs[0] = c.providers[k.platform]
	}
	if k.op != opDevice {
		kvs = append(kvs, keyOperation.String(k.op.String()))
	}
	if k.op != opCancel {
		kvs = append(kvs, keyPlatform.String(platformName(k.platform)), keyKind.String(kindName(k.kind)))
	}
	switch {
	case k.op == opDevice && k.class == classNone:
		kvs = append(kvs, keyOutcome.String("accepted"))
	case k.op == opDevice:
		kvs = append(kvs, keyOutcome.String(k.class.String()))
	case k.class != classNone:
		kvs = append(kvs, keyErrorType.String(k.class.String()))
	}
	set := attribute.NewSet(kvs...)
	opt := metric.WithAttributeSet(set)
	a := &attrs{add: []metric.AddOption{opt}, record: []metric.RecordOption{opt}}
	if k.class == classNone && k.op != opDevice {
		a.start = []trace.SpanStartOption{trace.WithAttributes(set.ToSlice()...)}
	}
	return a
}
