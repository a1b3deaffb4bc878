package main

import (
	"context"
	"slices"
	"time"

	"github.com/pushwire/push"
	"github.com/pushwire/push/apns"
	"github.com/pushwire/push/apns/apnstest"
	"github.com/pushwire/push/fcm"
	"github.com/pushwire/push/fcm/fcmtest"
	"github.com/pushwire/push/webpush"
	"github.com/pushwire/push/webpush/webpushtest"
)

// services are the three emulated push services, a client of each, and the
// app's store of alice's device handles.
type services struct {
	apple   *apnstest.Server
	google  *fcmtest.Server
	browser *webpushtest.Server
	apns    *apns.Client
	fcm     *fcm.Client
	webpush *webpush.Client
	firefox push.BrowserSubscription
	store   *store
}

// startServices starts the emulators, registers alice's devices on them (one
// iPhone app since uninstalled) and makes a client of each.
func startServices(ctx context.Context) (*services, error) {
	s := &services{apple: apnstest.NewServer(), google: fcmtest.NewServer(), browser: webpushtest.NewServer(), store: &store{}}
	ok := false
	defer func() {
		if !ok {
			s.close()
		}
	}()
	iphone, oldIPhone := s.apple.NewDevice(apnstest.DefaultTopic), s.apple.NewDevice(apnstest.DefaultTopic)
	s.apple.Unregister(oldIPhone, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	s.firefox = s.browser.NewSubscription()
	s.store.add("alice-iphone", push.Apple, iphone)
	s.store.add("alice-old-ipad", push.Apple, oldIPhone)
	s.store.add("alice-pixel", push.FCMV1, s.google.NewToken())
	s.store.addSubscription("alice-firefox", s.firefox)

	key := s.apple.Key()
	k, err := apns.ParseKey(key.PEM)
	if err != nil {
		return nil, err
	}
	if s.apns, err = apns.New(apns.Sandbox, apns.Token(k, key.KeyID, key.TeamID), apns.WithTopic(apnstest.DefaultTopic),
		apns.WithEndpoint(s.apple.URL()), apns.WithHTTPClient(s.apple.Client())); err != nil {
		return nil, err
	}
	if s.fcm, err = fcm.New(ctx, s.google.Project(), fcm.WithCredentialsJSON(s.google.ServiceAccountJSON()),
		fcm.WithEndpoint(s.google.URL()), fcm.WithHTTPClient(s.google.Client())); err != nil {
		return nil, err
	}
	vapid, err := webpush.GenerateVAPIDKey()
	if err != nil {
		return nil, err
	}
	if s.webpush, err = webpush.New(vapid, "mailto:ops@example.com", webpush.WithHTTPClient(s.browser.Client())); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

func (s *services) close() {
	if s.apns != nil {
		s.apns.Close()
	}
	if s.fcm != nil {
		s.fcm.Close()
	}
	if s.webpush != nil {
		s.webpush.Close()
	}
	s.apple.Close()
	s.google.Close()
	s.browser.Close()
}

// store is the app's own table of device handles, as a database would hold
// it: a direct provider sends to the handles the app keeps.
type store struct {
	devices []device
}

type device struct {
	name     string
	platform push.Platform
	handle   string
	sub      push.BrowserSubscription
}

func (s *store) add(name string, p push.Platform, handle string) {
	s.devices = append(s.devices, device{name: name, platform: p, handle: handle})
}

func (s *store) addSubscription(name string, sub push.BrowserSubscription) {
	s.devices = append(s.devices, device{name: name, platform: push.Browser, handle: sub.Endpoint, sub: sub})
}

func (s *store) tokens(p push.Platform) []string {
	var hs []string
	for _, d := range s.devices {
		if d.platform == p {
			hs = append(hs, d.handle)
		}
	}
	return hs
}

func (s *store) subscriptions() []push.BrowserSubscription {
	var subs []push.BrowserSubscription
	for _, d := range s.devices {
		if d.platform == push.Browser {
			subs = append(subs, d.sub)
		}
	}
	return subs
}

func (s *store) name(handle string) string {
	for _, d := range s.devices {
		if d.handle == handle {
			return d.name
		}
	}
	return "(unknown)"
}

func (s *store) delete(handle string) {
	s.devices = slices.DeleteFunc(s.devices, func(d device) bool { return d.handle == handle })
}

func (s *store) len() int { return len(s.devices) }
