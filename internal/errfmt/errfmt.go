// Package errfmt formats messages and wraps errors like fmt.Errorf for the
// packages compiled into the browser engine.
//
// fmt brings its printer and reflect into a binary: about 0.4 MB of the
// engine's 2.5 MB wasm budget. The engine's messages need only a few verbs
// over a few concrete types, which a type switch formats without reflection:
//
//	%d  integers
//	%s  strings, errors, fmt.Stringer values
//	%q  strings (strconv.Quote), integers as runes (strconv.QuoteRune)
//	%g  floats (shortest representation, as fmt prints them)
//	%v  any of the above, bools, []int, []int64, []string, nil
//	%w  an error, also returned by Unwrap
//	%%  a literal percent sign
//
// Flags and widths are not supported, nor named types without a String or
// Error method (convert them: string(mode)). A verb or argument outside this
// list prints as %!verb(?), so a new message shows its mistake instead of
// failing. go vet cannot check the calls: it accepts %w only for fmt.Errorf.
package errfmt

import "strconv"

// Stringer is fmt.Stringer, named here so this package does not import fmt.
type Stringer interface {
	String() string
}

// Errorf formats like fmt.Errorf. With one %w the result unwraps to that
// error; with several, Unwrap returns them all.
func Errorf(format string, args ...any) error {
	msg, wrapped := format1(format, args)
	switch len(wrapped) {
	case 0:
		return &plainError{msg}
	case 1:
		return &wrapError{msg, wrapped[0]}
	default:
		return &wrapErrors{msg, wrapped}
	}
}

// Sprintf formats like fmt.Sprintf.
func Sprintf(format string, args ...any) string {
	msg, _ := format1(format, args)
	return msg
}

type plainError struct{ msg string }

func (e *plainError) Error() string { return e.msg }

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string   { return e.msg }
func (e *wrapErrors) Unwrap() []error { return e.errs }

// format1 returns the formatted message and the %w operands that are errors.
func format1(format string, args []any) (string, []error) {
	b := make([]byte, 0, len(format)+16*len(args))
	var wrapped []error
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+1 == len(format) {
			b = append(b, "%!(NOVERB)"...)
			break
		}
		i++
		verb := format[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if next == len(args) {
			b = append(b, "%!"...)
			b = append(b, verb)
			b = append(b, "(MISSING)"...)
			continue
		}
		arg := args[next]
		next++
		if verb == 'w' {
			if err, ok := arg.(error); ok {
				wrapped = append(wrapped, err)
			}
			verb = 'v'
		}
		b = appendArg(b, verb, arg)
	}
	if next < len(args) {
		b = append(b, "%!(EXTRA)"...)
	}
	return string(b), wrapped
}

func appendArg(b []byte, verb byte, arg any) []byte {
	if n, ok := integer(arg); ok {
		switch verb {
		case 'd', 'v':
			return strconv.AppendInt(b, n, 10)
		case 'q':
			return strconv.AppendQuoteRune(b, rune(n))
		}
		return bad(b, verb)
	}
	switch v := arg.(type) {
	case uint:
		if verb == 'd' || verb == 'v' {
			return strconv.AppendUint(b, uint64(v), 10)
		}
	case uint64:
		if verb == 'd' || verb == 'v' {
			return strconv.AppendUint(b, v, 10)
		}
	case string:
		switch verb {
		case 's', 'v':
			return append(b, v...)
		case 'q':
			return strconv.AppendQuote(b, v)
		}
	case error:
		if verb == 's' || verb == 'v' {
			return append(b, v.Error()...)
		}
	case Stringer:
		if verb == 's' || verb == 'v' {
			return append(b, v.String()...)
		}
	case float64:
		if verb == 'g' || verb == 'v' {
			return strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	case float32:
		if verb == 'g' || verb == 'v' {
			return strconv.AppendFloat(b, float64(v), 'g', -1, 32)
		}
	case bool:
		if verb == 'v' {
			return strconv.AppendBool(b, v)
		}
	case []int:
		if verb == 'v' {
			return appendList(b, v, func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) })
		}
	case []int64:
		if verb == 'v' {
			return appendList(b, v, func(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) })
		}
	case []string:
		if verb == 'v' {
			return appendList(b, v, func(b []byte, s string) []byte { return append(b, s...) })
		}
	case nil:
		if verb == 'v' || verb == 's' {
			return append(b, "<nil>"...)
		}
	}
	return bad(b, verb)
}

// integer returns an integer argument that always fits in an int64 as one;
// uint and uint64 are formatted on their own.
func integer(arg any) (int64, bool) {
	switch v := arg.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	}
	return 0, false
}

func appendList[T any](b []byte, list []T, elem func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ' ')
		}
		b = elem(b, v)
	}
	return append(b, ']')
}

func bad(b []byte, verb byte) []byte {
	b = append(b, "%!"...)
	b = append(b, verb)
	return append(b, "(?)"...)
}
