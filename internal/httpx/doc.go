// Package httpx is the HTTP plumbing the providers of this module share: a
// transport tuned for many concurrent requests to one host over HTTP/2 with
// ping health checks, a client that never follows a redirect, knowing whether
// a failed request was written, and classifying transport failures and
// unexpected statuses into *push.Error values. It holds no state of its own.
package httpx
