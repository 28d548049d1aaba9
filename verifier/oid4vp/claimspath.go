package oid4vp

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
)

// errPathNotFound and errPathType are the two ways §7.1.1 processing aborts.
var (
	errPathNotFound = errors.New("claims path pointer selects nothing")
	errPathType     = errors.New("claims path pointer does not fit the credential's structure")
)

// selectedClaim is one element selected by a claims path pointer: its concrete path (no
// nulls: each null replaced by the array index) and its value.
type selectedClaim struct {
	Path  []any
	Value any
}

// SelectClaims processes a claims path pointer against a JSON-based credential, §7.1.1. The
// credential is the processed JSON payload (objects as map[string]any, arrays as []any).
// It returns the concrete paths of the selected elements (each null replaced by an index)
// with their values; it fails when processing aborts or selects nothing.
func SelectClaims(credential map[string]any, path []any) (paths [][]any, values []any, err error) {
	sel, err := selectClaims(credential, path)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sel {
		paths = append(paths, s.Path)
		values = append(values, s.Value)
	}
	return paths, values, nil
}

func selectClaims(root map[string]any, path []any) ([]selectedClaim, error) {
	if len(path) == 0 {
		return nil, errPathNotFound
	}
	if v, ok, err := selectNamed(root, path); ok {
		return v, err
	}
	return selectStepwise(root, path)
}

// selectStepwise is §7.1.1 as written: a selection set, narrowed or widened by each
// component.
func selectStepwise(root map[string]any, path []any) ([]selectedClaim, error) {
	// §7.1.1 step 1: "Select the root element of the Credential".
	sel := []selectedClaim{{Path: []any{}, Value: root}}
	for _, comp := range path {
		next, err := step(sel, comp)
		if err != nil {
			return nil, err
		}
		sel = next
	}
	// §7.1.1 step 3: "If the set of elements currently selected is empty, abort processing
	// and return an error."
	if len(sel) == 0 {
		return nil, errPathNotFound
	}
	return sel, nil
}

// selectNamed is selectClaims for a pointer of object member names only, the common case
// (["gemeente", "code"]): such a pointer selects at most one element, and its concrete path
// is the pointer itself, so the walk needs no selection sets. ok is false for any other
// pointer; selectClaims then processes it step by step. The path returned shares the
// pointer's elements, capped so that an append copies.
func selectNamed(root map[string]any, path []any) (sel []selectedClaim, ok bool, err error) {
	var cur any = root
	found := true
	for _, comp := range path {
		name, isName := comp.(string)
		if !isName {
			return nil, false, nil
		}
		if !found {
			continue // §7.1.1 2.1 on an empty selection: nothing to check, nothing selected
		}
		obj, isObj := cur.(map[string]any)
		if !isObj {
			return nil, true, errPathType
		}
		cur, found = obj[name]
	}
	if !found {
		return nil, true, errPathNotFound
	}
	return []selectedClaim{{Path: path[:len(path):len(path)], Value: cur}}, true, nil
}

// step applies one component of the pointer to the current selection (§7.1.1 step 2).
func step(sel []selectedClaim, comp any) ([]selectedClaim, error) {
	var next []selectedClaim
	switch c := comp.(type) {
	case string:
		// 2.1: "If any of the currently selected element(s) is not an object, abort processing
		// and return an error. If the key does not exist in any element currently selected,
		// remove that element from the selection."
		for _, s := range sel {
			obj, ok := s.Value.(map[string]any)
			if !ok {
				return nil, errPathType
			}
			if v, ok := obj[c]; ok {
				next = append(next, selectedClaim{Path: extend(s.Path, comp), Value: v})
			}
		}
	case nil:
		// 2.2: "select all elements of the currently selected array(s). If any of the currently
		// selected element(s) is not an array, abort processing and return an error."
		for _, s := range sel {
			arr, ok := s.Value.([]any)
			if !ok {
				return nil, errPathType
			}
			for i, v := range arr {
				next = append(next, selectedClaim{Path: extend(s.Path, i), Value: v})
			}
		}
	default:
		// 2.3: a non-negative integer selects that index; "If the index does not exist in a
		// selected array, remove that array from the selection." 2.4: anything else is an error.
		i, ok := pathIndex(comp)
		if !ok {
			return nil, errPathType
		}
		for _, s := range sel {
			arr, ok := s.Value.([]any)
			if !ok {
				return nil, errPathType
			}
			if i < len(arr) {
				next = append(next, selectedClaim{Path: extend(s.Path, i), Value: arr[i]})
			}
		}
	}
	return next, nil
}

// extend returns a new slice: path followed by el (never sharing path's backing array).
func extend(path []any, el any) []any {
	out := make([]any, len(path), len(path)+1)
	copy(out, path)
	return append(out, el)
}

// matchValues keeps the selected claims whose value matches one of values. §6.3: "the
// Wallet SHOULD return the claim only if the type and value of the claim both match exactly
// for at least one of the elements in the array". No values means no restriction.
func matchValues(sel []selectedClaim, values []any) []selectedClaim {
	if values == nil {
		return sel
	}
	var out []selectedClaim
	for _, s := range sel {
		for _, want := range values {
			if sameValue(want, s.Value) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// sameValue compares a query value (string, bool or integer) with a claim value: same JSON
// type and same value. Numbers compare by value whatever their Go type (a claim decoded as
// float64 18 matches the query integer 18).
func sameValue(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		return ok && g == w
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	}
	wi, ok := integerValue(want)
	if !ok {
		return false
	}
	gi, ok := integerValue(got)
	return ok && gi == wi
}

// integerValue returns v as int64 when it is a Go integer, an integral float or an integral
// json.Number.
func integerValue(v any) (int64, bool) {
	if v == nil {
		return 0, false
	}
	if n, ok := v.(json.Number); ok {
		return numberToInt(n)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u := rv.Uint()
		return int64(u), u <= math.MaxInt64
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return int64(f), f == math.Trunc(f) && math.Abs(f) <= 1<<53
	}
	return 0, false
}
