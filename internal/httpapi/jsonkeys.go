package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// checkKeys reads the JSON value in data next to the Go type t it is about
// to be decoded into, and refuses what encoding/json would let through
// without a word: an object key that is not exactly, case for case, the
// name of a field of the struct it fills (encoding/json folds case, so
// "SHOWID" would fill showId), and a key that appears twice in one object
// (encoding/json keeps the last).
//
// data must be one well-formed JSON value, as json.Decoder returns it in a
// json.RawMessage; checkKeys does not check its syntax again. Values that a
// type decodes itself (json.Unmarshaler, encoding.TextUnmarshaler) and
// values whose shape does not fit the type, which encoding/json refuses
// anyway, are skipped.
func checkKeys(data []byte, t reflect.Type) error {
	k := keyChecker{data: data}
	return k.value(t)
}

// keyChecker walks well-formed JSON, byte by byte: it only has to find the
// keys, which costs far less than json.Decoder.Token does.
type keyChecker struct {
	data []byte
	pos  int
	path []pathStep // where k.pos is, spelled out only for an error
}

// pathStep is a key of an object, or the index of an array when key is nil.
type pathStep struct {
	key   []byte
	index int
}

// value checks the value at k.pos, to be decoded into t, and moves past it.
func (k *keyChecker) value(t reflect.Type) error {
	k.space()
	t = indirect(t)
	kind := t.Kind()
	switch c := k.data[k.pos]; {
	case decodesItself(t):
		// The type reads its own JSON: skipped below.
	case c == '{' && kind == reflect.Struct:
		return k.object(t, jsonFieldsOf(t))
	case c == '{' && (kind == reflect.Map || kind == reflect.Interface):
		return k.object(t, nil)
	case c == '[' && (kind == reflect.Slice || kind == reflect.Array || kind == reflect.Interface):
		return k.array(t)
	}
	k.skip() // a scalar, or the wrong shape that Decode reports as a type error
	return nil
}

// object checks the object at k.pos, to be decoded into t: a struct with
// fields, or a map or an interface when fields is nil.
func (k *keyChecker) object(t reflect.Type, fields map[string]structField) error {
	var (
		seenField [32]bool        // by field index, for a struct
		seenKey   map[string]bool // for a map or an interface
	)
	for k.pos++; ; k.pos++ { // past '{', then past each ','
		k.space()
		if k.data[k.pos] == '}' {
			k.pos++
			return nil
		}
		key := k.key()
		k.path = append(k.path, pathStep{key: key})

		elem, twice := t, false // an interface holds anything, at any depth
		switch {
		case fields != nil:
			f, ok := fields[string(key)]
			if !ok {
				return errorf(http.StatusBadRequest, "unknown_field",
					fmt.Sprintf("unknown field %q", k.where()))
			}
			elem = f.typ
			if f.index < len(seenField) {
				twice, seenField[f.index] = seenField[f.index], true
			} else {
				twice = k.seen(&seenKey, key)
			}
		case t.Kind() == reflect.Map:
			elem, twice = t.Elem(), k.seen(&seenKey, key)
		default:
			twice = k.seen(&seenKey, key)
		}
		if twice {
			return errorf(http.StatusBadRequest, "invalid_json",
				fmt.Sprintf("field %q appears twice", k.where()))
		}

		k.space()
		k.pos++ // past ':'
		if err := k.value(elem); err != nil {
			return err
		}
		k.path = k.path[:len(k.path)-1]
		if k.space(); k.data[k.pos] == '}' {
			k.pos++
			return nil
		}
	}
}

// seen reports whether key is in *keys, and adds it.
func (k *keyChecker) seen(keys *map[string]bool, key []byte) bool {
	if *keys == nil {
		*keys = make(map[string]bool)
	}
	if (*keys)[string(key)] {
		return true
	}
	(*keys)[string(key)] = true
	return false
}

// array checks the array at k.pos, to be decoded into t: a slice, an
// array or an interface.
func (k *keyChecker) array(t reflect.Type) error {
	elem := t
	if t.Kind() != reflect.Interface {
		elem = t.Elem()
	}
	for i := 0; ; i++ {
		k.pos++ // past '[', then past each ','
		if k.space(); k.data[k.pos] == ']' {
			k.pos++
			return nil
		}
		k.path = append(k.path, pathStep{index: i})
		if err := k.value(elem); err != nil {
			return err
		}
		k.path = k.path[:len(k.path)-1]
		if k.space(); k.data[k.pos] == ']' {
			k.pos++
			return nil
		}
	}
}

// where spells out the path to k.pos, such as genres[1].name.
func (k *keyChecker) where() string {
	var b strings.Builder
	for i, step := range k.path {
		switch {
		case step.key == nil:
			fmt.Fprintf(&b, "[%d]", step.index)
		case i > 0:
			b.WriteString("." + string(step.key))
		default:
			b.Write(step.key)
		}
	}
	return b.String()
}

// key reads the string at k.pos and returns it unquoted, as encoding/json
// matches it against field names. It is never nil.
func (k *keyChecker) key() []byte {
	start := k.pos
	k.skipString()
	quoted := k.data[start:k.pos]
	if bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted) {
		return quoted[1 : len(quoted)-1]
	}
	var key string
	_ = json.Unmarshal(quoted, &key) // well formed: it cannot fail
	return []byte(key)
}

// skip moves past the value at k.pos. It counts brackets instead of
// recursing, so any depth costs no stack.
func (k *keyChecker) skip() {
	switch k.data[k.pos] {
	case '"':
		k.skipString()
	case '{', '[':
		for open := 0; ; {
			switch k.data[k.pos] {
			case '"':
				k.skipString()
				continue
			case '{', '[':
				open++
			case '}', ']':
				open--
			}
			k.pos++
			if open == 0 {
				return
			}
		}
	default: // a number, true, false or null
		for k.pos < len(k.data) && !isDelimiter(k.data[k.pos]) {
			k.pos++
		}
	}
}

// skipString moves past the string whose opening quote is at k.pos.
func (k *keyChecker) skipString() {
	for k.pos++; k.data[k.pos] != '"'; k.pos++ {
		if k.data[k.pos] == '\\' {
			k.pos++ // the escaped character, which may be a quote
		}
	}
	k.pos++
}

// space moves past white space.
func (k *keyChecker) space() {
	for k.pos < len(k.data) && isSpace(k.data[k.pos]) {
		k.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isDelimiter reports whether c ends a scalar value.
func isDelimiter(c byte) bool { return c == ',' || c == '}' || c == ']' || isSpace(c) }

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports whether values of t parse their own JSON.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

func indirect(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// structField is a field of a struct as encoding/json fills it: its place
// among the struct's JSON names, and its type.
type structField struct {
	index int
	typ   reflect.Type
}

// fieldCache caches jsonFieldsOf by struct type.
var fieldCache sync.Map // reflect.Type → map[string]structField

// jsonFieldsOf returns the JSON names that encoding/json decodes into the
// struct type t: the json tag's name, or the Go name of an untagged field,
// and the names of untagged embedded structs unless t has a field of the
// same name. It is never nil.
func jsonFieldsOf(t reflect.Type) map[string]structField {
	if fields, ok := fieldCache.Load(t); ok {
		return fields.(map[string]structField)
	}

	fields := map[string]structField{}
	add := func(name string, typ reflect.Type) {
		if _, ok := fields[name]; !ok {
			fields[name] = structField{index: len(fields), typ: typ}
		}
	}
	var embedded []reflect.Type
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
			continue
		case f.Anonymous && name == "" && indirect(f.Type).Kind() == reflect.Struct:
			embedded = append(embedded, indirect(f.Type))
			continue
		case !f.IsExported():
			continue
		case name == "":
			name = f.Name
		}
		add(name, f.Type)
	}
	for _, e := range embedded {
		for name, f := range jsonFieldsOf(e) {
			add(name, f.typ)
		}
	}

	fieldCache.Store(t, fields)
	return fields
}
