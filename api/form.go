package api

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// parseForm is http.Request.ParseForm for an application/x-www-form-urlencoded body, the
// shape of every OAuth and OpenID4VP/VCI form post: it fills r.PostForm with the body's
// values and r.Form with those followed by the URL query's, as ParseForm does. It reads the
// body into one buffer of its declared length (ParseForm grows one from 512 bytes) and
// unescapes each value in one pass (net/url writes it out byte by byte once it holds an
// escape; a vp_token holds a few). The body limit of the BodyLimit middleware still applies:
// it wraps the body this reads. FuzzParseFormBody keeps the result equal to url.ParseQuery's.
func parseForm(r *http.Request) error {
	if r.PostForm != nil {
		return nil
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	post, err := parseFormBody(body)
	if err != nil {
		return err
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	r.PostForm, r.Form = post, make(url.Values, len(post)+len(query))
	for k, v := range post {
		r.Form[k] = v
	}
	for k, v := range query {
		r.Form[k] = append(r.Form[k], v...)
	}
	return nil
}

// maxFormBody is ParseForm's own cap on a form body without a smaller limit in front of it.
const maxFormBody = 10 << 20

// readBody reads the whole body, into a buffer of the declared Content-Length when there is
// one, and refuses one longer than maxFormBody.
func readBody(r *http.Request) (string, error) {
	if r.Body == nil {
		return "", errors.New("missing form body")
	}
	if n := r.ContentLength; n >= 0 && n <= maxFormBody {
		buf := make([]byte, n+1) // one more, to see a body longer than declared
		k, err := io.ReadFull(r.Body, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = nil
		}
		if err != nil {
			return "", err
		}
		switch {
		case int64(k) > n:
			return "", errors.New("form body longer than its Content-Length")
		case int64(k) < n: // the client stopped early: ReadFull's ErrUnexpectedEOF, taken as the end above
			return "", io.ErrUnexpectedEOF
		}
		return string(buf[:k]), nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFormBody {
		return "", errors.New("http: POST too large")
	}
	return string(b), nil
}

// maxFormParams is net/url's default limit on the number of pairs (GODEBUG urlmaxqueryparams).
const maxFormParams = 10000

// parseFormBody is url.ParseQuery: pairs split on '&', a key with a ';' refused, '+' a space
// and %XX an escaped byte; an error is returned after the pairs that parse.
func parseFormBody(s string) (url.Values, error) {
	n := strings.Count(s, "&") + 1
	if n > maxFormParams {
		return nil, errors.New("number of URL query parameters exceeded limit")
	}
	m := make(url.Values, min(n, 16))
	var firstErr error
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if strings.Contains(pair, ";") {
			firstErr = errors.New("invalid semicolon separator in query") // as net/url: the last one
			continue
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := unescapeForm(k)
		if err != nil {
			firstErr = cmpErr(firstErr, err)
			continue
		}
		value, err := unescapeForm(v)
		if err != nil {
			firstErr = cmpErr(firstErr, err)
			continue
		}
		m[key] = append(m[key], value)
	}
	return m, firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// unescapeForm is url.QueryUnescape, copying the runs between escapes at once.
func unescapeForm(s string) (string, error) {
	// IndexByte is vectorised, IndexAny is not; a '+' is rare in what wallets send.
	next := func(s string) int { return strings.IndexByte(s, '%') }
	if strings.IndexByte(s, '+') >= 0 {
		next = func(s string) int { return strings.IndexAny(s, "%+") }
	}
	i := next(s)
	if i < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for {
		b = append(b, s[:i]...)
		s = s[i:]
		if s[0] == '+' {
			b, s = append(b, ' '), s[1:]
		} else {
			if len(s) < 3 || !isHex(s[1]) || !isHex(s[2]) {
				esc := s
				if len(esc) > 3 {
					esc = esc[:3]
				}
				return "", url.EscapeError(esc)
			}
			b, s = append(b, unhex(s[1])<<4|unhex(s[2])), s[3:]
		}
		if i = next(s); i < 0 {
			return string(append(b, s...)), nil
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
