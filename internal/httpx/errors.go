package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"

	"github.com/pushwire/push"
)

// Attempt tells whether one request was written whole to a connection: from
// then on, a failure leaves its outcome unknown. The zero Attempt is ready;
// use one per request.
type Attempt struct {
	trace httptrace.ClientTrace
	wrote atomic.Bool
}

// Context returns ctx with a's trace, for the request's context.
func (a *Attempt) Context(ctx context.Context) context.Context {
	a.trace.WroteRequest = a.wroteRequest
	return httptrace.WithClientTrace(ctx, &a.trace)
}

func (a *Attempt) wroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err == nil {
		a.wrote.Store(true)
	}
}

// Wrote reports whether the whole request reached the connection.
func (a *Attempt) Wrote() bool { return a.wrote.Load() }

// TransportError classifies a failure of the HTTP client for a request that
// got no answer. An untrusted certificate is a configuration error (no Kind,
// not retryable) that says how to trust an emulator's or a proxy's
// certificate. Otherwise, when the whole request was written the service may
// have acted on it (push.ErrOutcomeUnknown, not retried by default); when not,
// it cannot have (push.ErrUnavailable, retryable); a context that ended first
// leaves Kind nil. The cause is kept as Err; it holds the URL, never a header.
func TransportError(ctx context.Context, op string, wrote bool, err error) *push.Error {
	e := &push.Error{Op: op, Kind: push.ErrUnavailable, Err: err}
	switch {
	case isCertificateError(err):
		e.Kind = nil
		e.Detail = "the server's TLS certificate is not trusted, so nothing was sent; to reach an emulator, give the client its *http.Client " +
			"(the emulator's Client method); behind a TLS-inspecting proxy, add the proxy's CA to the system roots or to the TLS config of the *http.Client you pass"
	case wrote:
		e.Kind = push.ErrOutcomeUnknown
		e.Detail = "the connection failed after the request was sent, so the service may have acted on it"
	case ctx.Err() != nil:
		e.Kind = nil
		e.Detail = "the request was abandoned before it was sent"
	default:
		e.Detail = "the request could not be sent"
	}
	return e
}

// isCertificateError reports whether err says the server's certificate was
// refused: an unknown authority, a name mismatch, an expired or otherwise
// invalid certificate.
func isCertificateError(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// RedirectError is the error of a 3xx answer, which no client of this module
// follows: it names the status and where it pointed.
func RedirectError(op string, resp *http.Response) *push.Error {
	where := resp.Header.Get("Location")
	if where == "" {
		where = "nowhere (no Location header)"
	} else {
		where = strconv.Quote(Clip(where, 200))
	}
	return &push.Error{Op: op, StatusCode: resp.StatusCode,
		Detail: "the server redirected the request to " + where + "; a push client follows no redirect: check the endpoint"}
}

// Clip returns s cut to at most n bytes, with "..." when cut, never splitting
// a UTF-8 sequence, with invalid UTF-8 replaced.
func Clip(s string, n int) string {
	if len(s) <= n {
		return toValidUTF8(s)
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return toValidUTF8(s[:i]) + "..."
}
