package push

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// xmlShape is what the platforms need to know of an XML body: its root element
// and the first element under it.
type xmlShape struct {
	root, rootSpace   string // local name and namespace of the root element
	child, childSpace string // the same for the root's first child; "" when it has none
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseXMLShape reads a whole XML document, so that only a well-formed one with a
// single root element passes, and reports its shape. A UTF-8 byte-order mark, an
// XML declaration, comments and whitespace before the root are fine.
func parseXMLShape(body []byte) (xmlShape, error) {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, utf8BOM)))
	var s xmlShape
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s, fmt.Errorf("not well-formed XML: %w", err)
		}
		if err := s.visit(tok, &depth); err != nil {
			return s, err
		}
	}
	if s.root == "" {
		return s, errors.New("no XML root element")
	}
	return s, nil
}

// visit records what tok tells of the shape; depth is the element nesting so far.
func (s *xmlShape) visit(tok xml.Token, depth *int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		switch {
		case *depth == 0 && s.root != "":
			return fmt.Errorf("a second root element <%s> after <%s>", t.Name.Local, s.root)
		case *depth == 0:
			s.root, s.rootSpace = t.Name.Local, t.Name.Space
		case *depth == 1 && s.child == "":
			s.child, s.childSpace = t.Name.Local, t.Name.Space
		}
		*depth++
	case xml.EndElement:
		*depth--
	case xml.CharData:
		if *depth == 0 && len(bytes.TrimSpace(t)) > 0 {
			return errors.New("text outside the root element")
		}
	}
	return nil
}
