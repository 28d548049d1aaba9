package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"
)

// EvalFile decides once: it builds the policies of dir ("" = embedded) as New does (parse,
// compile, Rego tests) and evaluates policy for input, a JSON document. It is the engine behind
// `bewijs policy eval --input F.json`.
func EvalFile(ctx context.Context, dir, policy string, input []byte) (Decision, error) {
	in, err := parseInput(input)
	if err != nil {
		return Decision{}, err
	}
	files, err := readFiles(dir)
	if err != nil {
		return Decision{}, err
	}
	set, err := build(ctx, files)
	if err != nil {
		return Decision{}, err
	}
	return set.decide(ctx, policy, in, time.Now())
}

// parseInput reads exactly one JSON value, keeping numbers exact.
func parseInput(input []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, newError(InvalidInput, "", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errorf(InvalidInput, "", "data after the JSON value")
	}
	return v, nil
}
