package nhtest

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushwire/push"
)

// noExpiry is the expirationTime of an installation on a hub without a time to
// live: the largest .NET DateTime, as the service writes it.
const noExpiry = "9999-12-31T23:59:59.9999999Z"

// PutInstallation creates or replaces an installation directly, as PUT
// /installations/{id} does, with the same checks; the error, a *push.Error of kind
// push.ErrInvalidTarget, carries the service's detail. The emulator applies every
// installation write at once, where the service applies them asynchronously (a
// GET right after a PUT may still miss it there).
func (s *Server) PutInstallation(in Installation) error {
	in = in.Clone()
	err := in.validate()
	if err == nil {
		err = s.storeInstallation(in)
	}
	if err != nil {
		return &push.Error{Op: "nhtest: put installation", Kind: push.ErrInvalidTarget, Detail: err.Error()}
	}
	return nil
}

// Installation returns a copy of the installation with the given ID.
func (s *Server) Installation(id string) (Installation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.state.installations[id]
	if !ok {
		return Installation{}, false
	}
	return st.in.Clone(), true
}

// Installations returns a copy of every installation, sorted by ID.
func (s *Server) Installations() []Installation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Installation, 0, len(s.state.installations))
	for _, id := range slices.Sorted(maps.Keys(s.state.installations)) {
		out = append(out, s.state.installations[id].in.Clone())
	}
	return out
}

// DeleteInstallation removes an installation, if there is one.
func (s *Server) DeleteInstallation(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.state.installations, id)
}

// storeInstallation compiles the templates of a validated installation and
// stores it with its read-only fields set. When a template does not compile,
// nothing is stored and the error is the detail of a 400.
func (s *Server) storeInstallation(in Installation) error {
	templates, err := compileInstallationTemplates(in.Templates)
	if err != nil {
		return err
	}
	in.ExpirationTime, in.LastUpdate = noExpiry, s.clock.Now().UTC().Format(time.RFC3339Nano)
	in.LastActiveOn, in.PushChannelExpired = "", false
	st := &stored{in: in, format: string(in.format()), matchTags: in.MatchTags(), templates: templates}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.installations[in.InstallationID] = st
	return nil
}

// serveInstallation answers PUT, PATCH, GET and DELETE /installations/{id}:
// 200, 200, 200 (404 when unknown) and 204 (even when unknown), as the service.
func (s *Server) serveInstallation(w http.ResponseWriter, r *http.Request, id string) *apiError {
	switch r.Method {
	case http.MethodGet:
		return s.getInstallation(w, id)
	case http.MethodDelete:
		s.DeleteInstallation(id)
		w.WriteHeader(http.StatusNoContent)
		return nil
	case http.MethodPut:
		return s.putInstallation(w, r, id)
	}
	return s.patchInstallation(w, r, id)
}

func (s *Server) getInstallation(w http.ResponseWriter, id string) *apiError {
	in, ok := s.Installation(id)
	if !ok {
		return newError(http.StatusNotFound, "Installation not found: no installation has the ID '"+id+"'.")
	}
	body, err := json.Marshal(in)
	if err != nil {
		return newError(http.StatusInternalServerError, "nhtest: marshalling the installation: "+err.Error())
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

func (s *Server) putInstallation(w http.ResponseWriter, r *http.Request, id string) *apiError {
	if !mediaTypeIs(r.Header.Get("Content-Type"), "application/json") {
		return badRequest("An installation is written as Content-Type: application/json, not '" + r.Header.Get("Content-Type") + "'.")
	}
	body, aerr := readBody(r, maxBodySize)
	if aerr != nil {
		return aerr
	}
	if !utf8.Valid(body) { // encoding/json would replace what is not UTF-8, silently
		return badRequest("The installation is not valid UTF-8.")
	}
	var in Installation
	if err := json.Unmarshal(body, &in); err != nil {
		var d detailError
		if errors.As(err, &d) {
			return badRequest(d.Error())
		}
		return badRequest("The installation is not valid JSON: " + err.Error())
	}
	if in.InstallationID == "" {
		in.InstallationID = id
	}
	if in.InstallationID != id {
		return badRequest("The installationId '" + in.InstallationID + "' of the body differs from '" + id + "' of the URL.")
	}
	if err := in.validate(); err != nil {
		return badRequest(err.Error())
	}
	if err := s.storeInstallation(in); err != nil {
		return badRequest(err.Error())
	}
	w.Header().Set("Content-Location", s.installationURL(id))
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) patchInstallation(w http.ResponseWriter, r *http.Request, id string) *apiError {
	ct := r.Header.Get("Content-Type")
	if !mediaTypeIs(ct, "application/json-patch+json") && !mediaTypeIs(ct, "application/json") {
		return badRequest("An installation patch is sent as Content-Type: application/json-patch+json, not '" + ct + "'.")
	}
	body, aerr := readBody(r, maxBodySize)
	if aerr != nil {
		return aerr
	}
	if !utf8.Valid(body) {
		return badRequest("The installation patch is not valid UTF-8.")
	}
	in, ok := s.Installation(id)
	if !ok {
		return newError(http.StatusNotFound, "Installation not found: no installation has the ID '"+id+"'.")
	}
	patched, err := applyPatch(in, body)
	if err != nil {
		return badRequest(err.Error())
	}
	if err := s.storeInstallation(patched); err != nil {
		return badRequest(err.Error())
	}
	w.Header().Set("Content-Location", s.installationURL(id))
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) installationURL(id string) string {
	return "https://" + s.host + "/" + s.hub + "/installations/" + id
}

// mediaTypeIs reports whether the media type of ct, before any parameter, is want.
func mediaTypeIs(ct, want string) bool {
	media, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(media), want)
}
