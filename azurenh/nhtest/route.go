package nhtest

import (
	"net/http"
	"strings"
)

// Route names a group of requests, for Fault.Route.
type Route string

// The routes.
const (
	// RouteAny matches every request.
	RouteAny Route = ""
	// RouteSend is every POST that sends: /messages (send, test send, direct
	// send), /messages/$batch and /schedulednotifications.
	RouteSend Route = "send"
	// RouteCancel is DELETE /schedulednotifications/{id}.
	RouteCancel Route = "cancel"
	// RouteInstallations is PUT, PATCH, GET and DELETE /installations/{id}.
	RouteInstallations Route = "installations"
	// RouteRegistrations is POST /registrationIDs, /registrations,
	// /registrations/{id} and GET /tags/{tag}/registrations.
	RouteRegistrations Route = "registrations"
	// RouteTelemetry is GET /messages/{id}: a notification's details.
	RouteTelemetry Route = "telemetry"
	// RouteFeedback is GET /feedbackcontainer and the requests to the feedback
	// container it names.
	RouteFeedback Route = "feedback"
	// RouteJobs is POST and GET /jobs and GET /jobs/{id}.
	RouteJobs Route = "jobs"
	// RouteOther is everything else: hub descriptions, unknown paths, other hubs.
	RouteOther Route = "other"
)

// op is what a request asks for.
type op uint8

const (
	opUnknown            op = iota // no such path: 404
	opSend                         // POST /messages
	opBatch                        // POST /messages/$batch
	opSchedule                     // POST /schedulednotifications
	opCancel                       // DELETE /schedulednotifications/{id}
	opInstallation                 // /installations/{id}
	opRegistrationID               // POST /registrationIDs
	opRegistrations                // POST, GET /registrations
	opRegistration                 // GET, PUT, DELETE /registrations/{id}
	opRegistrationsByTag           // GET /tags/{tag}/registrations
	opDetails                      // GET /messages/{id}
	opFeedbackContainer            // GET /feedbackcontainer
	opJobs                         // POST, GET /jobs
	opJob                          // GET /jobs/{id}
	opFeedbackBlob                 // GET /$feedback/{container}[/{blob}]: the feedback container, outside the hub
	opNotImplemented               // a path of the service that the emulator does not emulate
)

// target is a request resolved against the hub: the operation, its argument, the
// claim it needs and the oldest api-version that has it.
type target struct {
	op         op
	route      Route
	id         string // installation, registration, job or notification ID, or tag
	right      Rights // claim required; 0: none checked
	methods    string // allowed methods, space-separated
	minVersion string // oldest api-version with the operation; "" for any
	what       string // for opNotImplemented: what is not emulated; for opUnknown, "hub" when the hub is unknown
}

// resolve maps a request to its target. Hub names and path segments match without
// regard to case; a trailing slash is ignored (the JS SDK sends "/messages/").
func (s *Server) resolve(r *http.Request) target {
	if rest, ok := strings.CutPrefix(r.URL.Path, feedbackPathPrefix); ok {
		return target{op: opFeedbackBlob, route: RouteFeedback, id: rest, methods: http.MethodGet}
	}
	rest, ok := hubRelative(r.URL.Path, s.hub)
	if !ok {
		return target{op: opUnknown, route: RouteOther, what: "hub"}
	}
	return resolveSegments(segments(rest), r)
}

// hubRelative returns the part of path after "/HUB", if path is under the hub.
func hubRelative(path, hub string) (string, bool) {
	n := 1 + len(hub)
	if len(path) < n || path[0] != '/' || !strings.EqualFold(path[1:n], hub) {
		return "", false
	}
	if len(path) > n && path[n] != '/' {
		return "", false
	}
	return path[n:], true
}

// segments splits a path into its non-empty segments, ignoring leading and
// trailing slashes.
func segments(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// resolveSegments resolves the path segments under the hub.
func resolveSegments(seg []string, r *http.Request) target {
	is := func(i int, name string) bool { return len(seg) > i && strings.EqualFold(seg[i], name) }
	switch {
	case len(seg) == 1 && is(0, "messages"):
		return target{op: opSend, route: RouteSend, right: RightSend, methods: http.MethodPost}
	case len(seg) == 2 && is(0, "messages") && seg[1] == "$batch":
		return target{op: opBatch, route: RouteSend, right: RightSend, methods: http.MethodPost, minVersion: "2015-08"}
	case len(seg) == 1 && is(0, "schedulednotifications"):
		return target{op: opSchedule, route: RouteSend, right: RightSend, methods: http.MethodPost}
	case len(seg) == 2 && is(0, "schedulednotifications"):
		return target{op: opCancel, route: RouteCancel, id: seg[1], right: RightSend, methods: http.MethodDelete}
	case len(seg) == 2 && is(0, "installations"):
		return target{op: opInstallation, route: RouteInstallations, id: seg[1], right: RightListen,
			methods: "PUT PATCH GET DELETE", minVersion: "2015-01"}
	}
	return resolveManagement(seg, r)
}

// resolveManagement resolves the paths of registrations, telemetry, feedback
// and jobs, with the claims the service's security model gives them. The
// service does not document the claim of telemetry and feedback: any rule may
// read them here.
func resolveManagement(seg []string, r *http.Request) target {
	is := func(i int, name string) bool { return len(seg) > i && strings.EqualFold(seg[i], name) }
	switch {
	case len(seg) == 1 && is(0, "registrationIDs"):
		return target{op: opRegistrationID, route: RouteRegistrations, right: RightListen, methods: http.MethodPost}
	case len(seg) == 1 && is(0, "registrations"):
		return target{op: opRegistrations, route: RouteRegistrations, right: registrationListRight(r), methods: "GET POST"}
	case len(seg) == 2 && is(0, "registrations"):
		return target{op: opRegistration, route: RouteRegistrations, id: seg[1], right: RightListen, methods: "GET PUT DELETE"}
	case len(seg) == 3 && is(0, "tags") && is(2, "registrations"):
		return target{op: opRegistrationsByTag, route: RouteRegistrations, id: seg[1], right: RightManage, methods: http.MethodGet}
	case len(seg) == 2 && is(0, "messages"):
		return target{op: opDetails, route: RouteTelemetry, id: seg[1], methods: http.MethodGet, minVersion: "2015-01"}
	case len(seg) == 1 && is(0, "feedbackcontainer"):
		return target{op: opFeedbackContainer, route: RouteFeedback, methods: http.MethodGet}
	case len(seg) == 1 && is(0, "jobs"):
		return target{op: opJobs, route: RouteJobs, right: RightManage, methods: "GET POST"}
	case len(seg) == 2 && is(0, "jobs"):
		return target{op: opJob, route: RouteJobs, id: seg[1], right: RightManage, methods: http.MethodGet}
	}
	return resolveUnemulated(seg)
}

// resolveUnemulated recognises the service's paths that the emulator does not
// emulate, with the claims the service's security model gives them, so that a
// client learns both that its token is accepted and that the answer is not real.
func resolveUnemulated(seg []string) target {
	if len(seg) == 0 {
		return target{op: opNotImplemented, route: RouteOther, methods: "GET PUT POST DELETE PATCH",
			right: RightManage, what: "hub descriptions"}
	}
	return target{op: opUnknown, route: RouteOther}
}

// registrationListRight is the claim of /registrations: creating one, or reading
// those of one channel ($filter), needs Listen; listing them all needs Manage.
func registrationListRight(r *http.Request) Rights {
	if r.Method == http.MethodGet && !r.URL.Query().Has("$filter") {
		return RightManage
	}
	return RightListen
}

// allows reports whether the target takes method.
func (t target) allows(method string) bool {
	for m := range strings.FieldsSeq(t.methods) {
		if m == method {
			return true
		}
	}
	return false
}
