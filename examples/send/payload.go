package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pushwire/push"
)

// maxPayloadRead bounds what is read of -file: a little over what Notification
// Hubs accepts, so that an oversized body is reported as such.
const maxPayloadRead = push.MaxBodySize + 1

// readPayload returns the body: -payload, or the contents of -file (stdin for -).
func readPayload(c config, stdin io.Reader) ([]byte, error) {
	if c.file == "" {
		return []byte(c.payload), nil
	}
	if c.file == "-" {
		return readBounded(stdin, "standard input")
	}
	f, err := os.Open(c.file)
	if err != nil {
		return nil, usagef("-file: %v", err)
	}
	defer f.Close()
	return readBounded(f, c.file)
}

func readBounded(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPayloadRead))
	if err != nil {
		return nil, usagef("reading %s: %v", name, err)
	}
	if len(b) == 0 {
		return nil, usagef("%s is empty; the notification needs a body", name)
	}
	return b, nil
}

// prepare builds the notification and the target, and checks them as the
// Client will (push.Render, or push.RenderAt for a scheduled send), so that bad
// input is a usage error reported before any connection is made.
func prepare(c config, stdin io.Reader, now time.Time) (push.Notification, push.Target, error) {
	body, err := readPayload(c, stdin)
	if err != nil {
		return push.Notification{}, push.Target{}, err
	}
	n, err := push.NewNotification(c.platform, body, c.header)
	if err != nil {
		return push.Notification{}, push.Target{}, inputError(err)
	}
	to := c.target()
	if c.at.IsZero() {
		_, err = push.Render(n, to)
	} else {
		_, err = push.RenderAt(n, to, c.at, now)
	}
	if err != nil {
		return push.Notification{}, push.Target{}, inputError(err)
	}
	return n, to, nil
}

// inputError turns a validation error of package push into a usage error that
// keeps the detail.
func inputError(err error) error {
	var pe *push.Error
	if errors.As(err, &pe) && pe.Detail != "" {
		return usageError(fmt.Sprintf("%v: %s", pe.Kind, pe.Detail))
	}
	return usageError(err.Error())
}
