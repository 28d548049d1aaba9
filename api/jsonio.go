package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads a JSON object body strictly: the content type must be JSON, unknown fields
// are refused, and there must be exactly one value.
func decodeJSON(c echo.Context, into any) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return badJSON(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return problem(http.StatusBadRequest, "invalid-json", "Invalid JSON", "the body must hold exactly one JSON object")
	}
	return nil
}

func requireJSON(c echo.Context) error {
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "send the body as application/json")
	}
	return nil
}

// decodeJSONLoose reads one JSON object and allows unknown members (protocol extensions).
func decodeJSONLoose(c echo.Context, into any) error {
	dec := json.NewDecoder(c.Request().Body)
	if err := dec.Decode(into); err != nil {
		return err
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("the body must hold exactly one JSON object")
	}
	return nil
}

// decodeJSONOptional is decodeJSON for endpoints whose body may be empty.
func decodeJSONOptional(c echo.Context, into any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return decodeJSON(c, into)
}

func badJSON(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return echo.ErrStatusRequestEntityTooLarge
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem(http.StatusBadRequest, "invalid-json", "Invalid JSON", "the body is not valid JSON")
	case errors.As(err, &typ):
		return problem(http.StatusBadRequest, "invalid-json", "Invalid JSON", fmt.Sprintf("field %q has the wrong type", typ.Field))
	}
	return problem(http.StatusBadRequest, "invalid-json", "Invalid JSON", err.Error())
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
