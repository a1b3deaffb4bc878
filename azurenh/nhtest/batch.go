package nhtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"unicode/utf8"
)

// batchBody is the content of a batch direct send: the notification part and its
// content type, and the handles of the devices part.
type batchBody struct {
	contentType  string
	notification []byte
	devices      []string
}

// errorf returns a plain error; the handlers turn it into a 400.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// detailError is a refusal in the service's words: one or more sentences,
// capitalised and ended with a period, that go into an Error body as they are.
type detailError string

func (d detailError) Error() string { return string(d) }

// detailf formats a detailError.
func detailf(format string, args ...any) error { return detailError(fmt.Sprintf(format, args...)) }

// readBatch parses the body of a batch direct send:
//
//	Content-Type: multipart/mixed; boundary="B"
//
//	--B
//	Content-Type: application/json;charset=utf-8
//	Content-Disposition: inline; name=notification
//
//	{"aps":{"alert":"hi"}}
//	--B
//	Content-Type: application/json
//	Content-Disposition: inline; name=devices
//
//	["token1","token2"]
//	--B--
//
// Parts are told apart by the name parameter of Content-Disposition, whatever its
// disposition type; they may come in either order; each must appear once and no
// other part may. The devices part must be a JSON array of strings. A
// multipart/form-data body (what Go's multipart.Writer announces by default) is
// refused: the service takes multipart/mixed.
func readBatch(contentType string, body []byte) (batchBody, error) {
	boundary, err := batchBoundary(contentType)
	if err != nil {
		return batchBody{}, err
	}
	var b batchBody
	var seen [2]bool
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for i := 1; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return batchBody{}, errorf("the batch body is not valid multipart/mixed: %v", err)
		}
		if err := b.readPart(p, i, &seen); err != nil {
			return batchBody{}, err
		}
	}
	return b, b.checkParts(seen)
}

// batchBoundary checks the Content-Type of a batch and returns its boundary.
func batchBoundary(contentType string) (string, error) {
	if contentType == "" {
		return "", errorf("a batch send needs Content-Type: multipart/mixed; boundary=...")
	}
	media, params, err := mime.ParseMediaType(contentType)
	switch {
	case err != nil:
		return "", errorf("the batch Content-Type %q does not parse: %v", contentType, err)
	case media == "multipart/form-data":
		return "", errorf("the batch Content-Type is multipart/form-data; the service takes multipart/mixed (Go's multipart.Writer.FormDataContentType is the wrong header here)")
	case media != "multipart/mixed":
		return "", errorf("the batch Content-Type is %s; want multipart/mixed", media)
	case params["boundary"] == "":
		return "", errorf("the batch Content-Type has no boundary parameter")
	}
	return params["boundary"], nil
}

// readPart reads the i-th part (1-based) into b.
func (b *batchBody) readPart(p *multipart.Part, i int, seen *[2]bool) error {
	defer p.Close()
	name, err := partName(p, i)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(p)
	if err != nil {
		return errorf("reading batch part %d (%s): %v", i, name, err)
	}
	switch name {
	case "notification":
		return b.setNotification(p.Header.Get("Content-Type"), data, seen)
	case "devices":
		return b.setDevices(data, seen)
	}
	return errorf("batch part %d is named %q; a batch has the parts notification and devices", i, name)
}

// partName returns the name parameter of a part's Content-Disposition.
func partName(p *multipart.Part, i int) (string, error) {
	cd := p.Header.Get("Content-Disposition")
	if cd == "" {
		return "", errorf("batch part %d has no Content-Disposition; want inline; name=notification or name=devices", i)
	}
	_, params, err := mime.ParseMediaType(cd)
	if err != nil || params["name"] == "" {
		return "", errorf("batch part %d has Content-Disposition %q without a name parameter", i, cd)
	}
	return strings.ToLower(params["name"]), nil
}

func (b *batchBody) setNotification(contentType string, data []byte, seen *[2]bool) error {
	if seen[0] {
		return errorf("the batch has two notification parts")
	}
	seen[0] = true
	b.contentType, b.notification = contentType, data
	return nil
}

func (b *batchBody) setDevices(data []byte, seen *[2]bool) error {
	if seen[1] {
		return errorf("the batch has two devices parts")
	}
	seen[1] = true
	if !utf8.Valid(data) { // encoding/json would replace what is not UTF-8, silently
		return errorf("the batch devices part is not valid UTF-8")
	}
	if err := json.Unmarshal(data, &b.devices); err != nil {
		return errorf("the batch devices part is not a JSON array of strings: %v", err)
	}
	if b.devices == nil {
		return errorf("the batch devices part is null; want a JSON array of device handles")
	}
	return nil
}

// checkParts reports a missing part.
func (b *batchBody) checkParts(seen [2]bool) error {
	switch {
	case !seen[0]:
		return errorf("the batch has no notification part (Content-Disposition: inline; name=notification)")
	case !seen[1]:
		return errorf("the batch has no devices part (Content-Disposition: inline; name=devices)")
	}
	return nil
}
