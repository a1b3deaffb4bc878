package azurenh

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// opDecodeFeedback names feedback decoding in errors.
const opDecodeFeedback = "azurenh: decode feedback"

// PnsError is the reason a push service gave for refusing a delivery, as
// PnsFeedback records name it. A value this package does not know is kept.
type PnsError string

// The reasons the service reports.
const (
	PnsInvalidCredentials            PnsError = "InvalidCredentials"
	PnsUnreachable                   PnsError = "PnsUnreachable"
	PnsInterfaceError                PnsError = "PnsInterfaceError"
	PnsBadChannel                    PnsError = "BadChannel"
	PnsExpiredChannel                PnsError = "ExpiredChannel"
	PnsServerError                   PnsError = "PnsServerError"
	PnsUnavailable                   PnsError = "PnsUnavailable"
	PnsThrottled                     PnsError = "Throttled"
	PnsTokenProviderInterfaceError   PnsError = "TokenProviderInterfaceError"
	PnsTokenProviderUnreachable      PnsError = "TokenProviderUnreachable"
	PnsInvalidToken                  PnsError = "InvalidToken"
	PnsWrongToken                    PnsError = "WrongToken"
	PnsInvalidNotificationFormat     PnsError = "InvalidNotificationFormat"
	PnsInvalidNotificationSize       PnsError = "InvalidNotificationSize"
	PnsChannelThrottled              PnsError = "ChannelThrottled"
	PnsChannelDisconnected           PnsError = "ChannelDisconnected"
	PnsDropped                       PnsError = "Dropped"
	PnsWrongChannel                  PnsError = "WrongChannel"
	PnsRefreshToken                  PnsError = "RefreshToken"
	PnsAbandonedNotificationMessages PnsError = "AbandonedNotificationMessages"
	PnsNoTargets                     PnsError = "NoTargets"
	PnsSkipped                       PnsError = "Skipped"
	PnsUnknownError                  PnsError = "UnknownError"
)

// DeadHandle reports whether e says the device handle will never work again
// for this hub, so that its installation or registration can be deleted:
// BadChannel, ExpiredChannel, InvalidToken, WrongToken (a token of another app
// or environment) and WrongChannel. RefreshToken is not one: the push service
// gave a new handle (PnsFeedback.NewPnsHandle) to use instead.
func (e PnsError) DeadHandle() bool {
	switch e {
	case PnsBadChannel, PnsExpiredChannel, PnsInvalidToken, PnsWrongToken, PnsWrongChannel:
		return true
	}
	return false
}

// PnsFeedback is one failed delivery, as the service records it in the blobs of
// the feedback container and of NotificationDetails.PnsErrorDetailsURI.
type PnsFeedback struct {
	FeedbackTime            time.Time
	NotificationSystemError PnsError
	// Platform is the send format of the delivery ("apple", "windows", ...),
	// kept as written.
	Platform       push.Platform
	PnsHandle      string
	RegistrationID string
	InstallationID string
	NotificationID string
	// NewPnsHandle is the handle that replaces PnsHandle, with RefreshToken.
	NewPnsHandle string
}

// pnsFeedbackXML is a PnsFeedback record on the wire, read by local names.
type pnsFeedbackXML struct {
	FeedbackTime            string `xml:"FeedbackTime"`
	NotificationSystemError string `xml:"NotificationSystemError"`
	Platform                string `xml:"Platform"`
	PnsHandle               string `xml:"PnsHandle"`
	RegistrationID          string `xml:"RegistrationId"`
	InstallationID          string `xml:"InstallationId"`
	NotificationID          string `xml:"NotificationId"`
	NewPnsHandle            string `xml:"NewPnsHandle"`
}

// ParsePnsFeedback reads the PnsFeedback records of a feedback blob, one at a
// time, without holding the blob in memory (unless it is UTF-16). A blob holds
// any number of <PnsFeedback> documents, one after the other, each with its own
// XML declaration; the service declares them encoding="utf-16" even when the
// bytes are UTF-8, and both are accepted. Other elements are skipped, and so are
// unknown elements inside a record; text is trimmed.
//
// A record whose FeedbackTime does not parse is yielded as an error and the
// iteration goes on; a blob that is not XML ends the iteration with its error.
// Errors are *push.Error with Op "azurenh: decode feedback" and no Kind. The
// caller owns r and closes it after the loop.
//
// To prune dead devices, delete what each record with a dead handle names, and
// update the handle of each record with a new one:
//
//	for fb, err := range azurenh.ParsePnsFeedback(blob) {
//		if err != nil {
//			return err
//		}
//		switch {
//		case fb.NotificationSystemError.DeadHandle() && fb.InstallationID != "":
//			// delete the installation fb.InstallationID
//		case fb.NotificationSystemError.DeadHandle():
//			// delete the registration fb.RegistrationID
//		case fb.NewPnsHandle != "":
//			// replace fb.PnsHandle with fb.NewPnsHandle
//		}
//	}
func ParsePnsFeedback(r io.Reader) iter.Seq2[PnsFeedback, error] {
	return func(yield func(PnsFeedback, error) bool) {
		d, err := newXMLDecoder(r)
		if err != nil {
			yield(PnsFeedback{}, feedbackError(err))
			return
		}
		for {
			fb, err := nextFeedback(d)
			if err == io.EOF {
				return
			}
			if !yield(fb, err) || isFatal(err) {
				return
			}
		}
	}
}

// recordError marks an error of one record, after which reading can go on.
type recordError struct{ err error }

// Error returns the text of the record's error.
func (e recordError) Error() string { return e.err.Error() }

// isFatal reports whether err ends the reading of a blob.
func isFatal(err error) bool {
	var e *push.Error
	if !errors.As(err, &e) {
		return err != nil
	}
	var rec recordError
	return !errors.As(e.Err, &rec)
}

// nextFeedback reads the next PnsFeedback record of d; io.EOF at the end.
func nextFeedback(d *xml.Decoder) (PnsFeedback, error) {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return PnsFeedback{}, io.EOF
		}
		if err != nil {
			return PnsFeedback{}, feedbackError(err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local != "PnsFeedback" {
			if err := d.Skip(); err != nil {
				return PnsFeedback{}, feedbackError(err)
			}
			continue
		}
		return decodeFeedback(d, start)
	}
}

func decodeFeedback(d *xml.Decoder, start xml.StartElement) (PnsFeedback, error) {
	var x pnsFeedbackXML
	if err := d.DecodeElement(&x, &start); err != nil {
		return PnsFeedback{}, feedbackError(err)
	}
	fb := PnsFeedback{
		NotificationSystemError: PnsError(strings.TrimSpace(x.NotificationSystemError)),
		Platform:                push.Platform(strings.TrimSpace(x.Platform)),
		PnsHandle:               strings.TrimSpace(x.PnsHandle), RegistrationID: strings.TrimSpace(x.RegistrationID),
		InstallationID: strings.TrimSpace(x.InstallationID), NotificationID: strings.TrimSpace(x.NotificationID),
		NewPnsHandle: strings.TrimSpace(x.NewPnsHandle),
	}
	if err := parseOptionalTime("FeedbackTime", x.FeedbackTime, &fb.FeedbackTime); err != nil {
		return PnsFeedback{}, feedbackError(recordError{err})
	}
	return fb, nil
}

func feedbackError(err error) error {
	return &push.Error{Op: opDecodeFeedback, Detail: "the feedback does not parse", Err: err}
}

// encodePnsFeedback returns records as the service writes a feedback blob: one
// <PnsFeedback> document per line, each with the declaration
// <?xml version="1.0" encoding="utf-16"?> the service writes (on UTF-8 text).
// Fields are in the order FeedbackTime, NotificationSystemError, Platform,
// PnsHandle, RegistrationId, InstallationId, NotificationId, NewPnsHandle; empty
// ones are left out. Tests that play the service write their blobs with it.
func encodePnsFeedback(records []PnsFeedback) ([]byte, error) {
	var buf bytes.Buffer
	for _, fb := range records {
		buf.WriteString(`<?xml version="1.0" encoding="utf-16"?>`)
		w := newXMLWriter(&buf)
		w.description("PnsFeedback", fb.writeFields)
		if err := w.flush(); err != nil {
			return nil, err
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

func (fb PnsFeedback) writeFields(w *xmlWriter) {
	w.time("FeedbackTime", fb.FeedbackTime)
	w.text("NotificationSystemError", string(fb.NotificationSystemError))
	w.text("Platform", string(fb.Platform))
	w.text("PnsHandle", fb.PnsHandle)
	w.text("RegistrationId", fb.RegistrationID)
	w.text("InstallationId", fb.InstallationID)
	w.text("NotificationId", fb.NotificationID)
	w.text("NewPnsHandle", fb.NewPnsHandle)
}

// parseFeedbackContainerURL reads the answer to GET /HUB/feedbackcontainer: the
// URL, with a shared access signature in its query, of the Azure Storage
// container that holds the hub's feedback blobs (list it with
// ?restype=container&comp=list, then read each blob with ParsePnsFeedback).
// Surrounding space and quotes are dropped. The URL must be absolute https; the
// error, a *push.Error with Op "azurenh: decode feedback" and no Kind, never
// quotes the URL, whose signature grants access to the blobs.
func parseFeedbackContainerURL(body []byte) (*url.URL, error) {
	s := strings.Trim(strings.TrimSpace(string(body)), `"`)
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, &push.Error{Op: opDecodeFeedback, Detail: "the feedback container URL does not parse"}
	case u.Scheme != "https" || u.Host == "":
		return nil, &push.Error{Op: opDecodeFeedback, Detail: fmt.Sprintf("the feedback container URL is not an absolute https URL (scheme %q)", clipText(u.Scheme, 10))}
	}
	return u, nil
}
