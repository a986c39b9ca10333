package modelfile

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// decodeHeader parses the JSON header. It reads exactly the Header schema
// and nothing else: unknown or repeated keys, values of the wrong type,
// numbers that do not fit, invalid UTF-8 and trailing data are errors that
// name the byte offset and the field. The package has its own reader
// because encoding/json would add about a megabyte to the WebAssembly
// engine for this one document.
func decodeHeader(b []byte) (*Header, error) {
	p := &headerParser{b: b}
	var h Header
	err := p.object(func(key string) error {
		switch key {
		case "format":
			return p.str(&h.Format)
		case "version":
			return p.int(&h.Version)
		case "model":
			return p.model(&h.Model)
		case "tokenizer":
			return p.tokenizer(&h.Tokenizer)
		case "pooling":
			return p.pooling(&h.Pooling)
		case "tensors":
			return p.tensors(&h.Tensors)
		case "source":
			return p.stringMap(&h.Source)
		case "prompts":
			return p.stringMap(&h.Prompts)
		case "xlnet":
			h.XLNet = &XLNetConfig{}
			return p.xlnet(h.XLNet)
		}
		return p.unknown(key)
	})
	if err == nil {
		p.space()
		if p.pos < len(p.b) {
			err = p.errorf("data after the header object")
		}
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}

func (p *headerParser) model(c *BertConfig) error {
	return p.object(func(key string) error {
		switch key {
		case "vocab_size":
			return p.int(&c.VocabSize)
		case "hidden_size":
			return p.int(&c.HiddenSize)
		case "num_hidden_layers":
			return p.int(&c.NumHiddenLayers)
		case "num_attention_heads":
			return p.int(&c.NumAttentionHeads)
		case "intermediate_size":
			return p.int(&c.IntermediateSize)
		case "max_position_embeddings":
			return p.int(&c.MaxPositionEmbeddings)
		case "type_vocab_size":
			return p.int(&c.TypeVocabSize)
		case "layer_norm_eps":
			return p.float(&c.LayerNormEps)
		case "hidden_act":
			return p.str(&c.HiddenAct)
		case "pad_token_id":
			return p.int(&c.PadTokenID)
		case "model_type":
			return p.str(&c.ModelType)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) xlnet(c *XLNetConfig) error {
	return p.object(func(key string) error {
		switch key {
		case "d_head":
			return p.int(&c.DHead)
		case "clamp_len":
			return p.int(&c.ClampLen)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) tokenizer(c *TokenizerConfig) error {
	return p.object(func(key string) error {
		switch key {
		case "type":
			return p.str(&c.Type)
		case "vocab":
			return p.strs(&c.Vocab)
		case "do_lower_case":
			return p.bool(&c.DoLowerCase)
		case "strip_accents":
			if p.null() {
				c.StripAccents = nil
				return nil
			}
			c.StripAccents = new(bool)
			return p.bool(c.StripAccents)
		case "tokenize_chinese_chars":
			return p.bool(&c.TokenizeChineseChars)
		case "keep_control_chars":
			return p.bool(&c.KeepControlChars)
		case "max_input_chars_per_word":
			return p.int(&c.MaxInputCharsPerWord)
		case "unk_token":
			return p.str(&c.UnkToken)
		case "sep_token":
			return p.str(&c.SepToken)
		case "pad_token":
			return p.str(&c.PadToken)
		case "cls_token":
			return p.str(&c.ClsToken)
		case "mask_token":
			return p.str(&c.MaskToken)
		case "added_tokens":
			return p.strs(&c.AddedTokens)
		case "model_max_length":
			return p.int(&c.ModelMaxLength)
		case "max_seq_length":
			return p.int(&c.MaxSeqLength)
		case "pipeline":
			return p.pipeline(&c.Pipeline)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) pooling(c *PoolingConfig) error {
	return p.object(func(key string) error {
		switch key {
		case "mode":
			return p.str(&c.Mode)
		case "normalize":
			return p.bool(&c.Normalize)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) tensors(ts *[]TensorInfo) error {
	if p.null() {
		*ts = nil
		return nil
	}
	*ts = []TensorInfo{}
	return p.array(func() error {
		*ts = append(*ts, TensorInfo{})
		t := &(*ts)[len(*ts)-1]
		return p.object(func(key string) error {
			switch key {
			case "name":
				return p.str(&t.Name)
			case "dtype":
				return p.str((*string)(&t.DType))
			case "shape":
				return p.ints(&t.Shape)
			case "offset":
				return p.int64(&t.Offset)
			case "size":
				return p.int64(&t.Size)
			case "crc32c":
				return p.uint32(&t.CRC32C)
			case "group_size":
				return p.int(&t.GroupSize)
			}
			return p.unknown(key)
		})
	})
}

// stringMap reads an object of strings (source, prompts).
func (p *headerParser) stringMap(m *map[string]string) error {
	if p.null() {
		*m = nil
		return nil
	}
	*m = map[string]string{}
	return p.object(func(key string) error {
		var v string
		err := p.str(&v)
		(*m)[key] = v
		return err
	})
}

// headerParser reads JSON values from b at pos.
type headerParser struct {
	b   []byte
	pos int
}

// headerError is a parse error at byte Offset of the header, in the field
// at Path ("tensors[3].shape").
type headerError struct {
	Offset int
	Path   string
	Msg    string
}

func (e *headerError) Error() string {
	if e.Path == "" {
		return errfmt.Sprintf("header byte %d: %s", e.Offset, e.Msg)
	}
	return errfmt.Sprintf("header byte %d: %s: %s", e.Offset, e.Path, e.Msg)
}

// within prefixes the path of a headerError with the field it occurred in;
// paths are built only on failure so that parsing a large vocabulary does
// not format 30,000 of them.
func within(err error, field string) error {
	if e, ok := err.(*headerError); ok {
		if e.Path != "" && e.Path[0] != '[' {
			field += "."
		}
		e.Path = field + e.Path
	}
	return err
}

func (p *headerParser) errorf(format string, args ...any) error {
	return &headerError{Offset: p.pos, Msg: errfmt.Sprintf(format, args...)}
}

// unknown rejects a key the schema does not have, at the key's position.
func (p *headerParser) unknown(key string) error {
	return p.errorf("unknown key %q", key)
}

func (p *headerParser) space() {
	for p.pos < len(p.b) {
		switch p.b[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (p *headerParser) peek() byte {
	p.space()
	if p.pos == len(p.b) {
		return 0
	}
	return p.b[p.pos]
}

// describe names the value starting at pos, for "want X, got Y" errors.
func (p *headerParser) describe() string {
	switch c := p.peek(); {
	case c == 0:
		return "end of header"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	default:
		return errfmt.Sprintf("%q", c)
	}
}

func (p *headerParser) literal(word string) bool {
	if p.peek() != word[0] || len(p.b)-p.pos < len(word) || string(p.b[p.pos:p.pos+len(word)]) != word {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *headerParser) null() bool { return p.literal("null") }

// object reads {"key": value, ...}, calling field with p positioned at each
// value. A key may appear only once.
func (p *headerParser) object(field func(key string) error) error {
	if p.peek() != '{' {
		return p.errorf("want an object, got %s", p.describe())
	}
	p.pos++
	var seen []string
	if p.peek() == '}' {
		p.pos++
		return nil
	}
	for {
		if p.peek() != '"' {
			return p.errorf("want a key string, got %s", p.describe())
		}
		at := p.pos
		var key string
		if err := p.str(&key); err != nil {
			return err
		}
		for _, k := range seen {
			if k == key {
				p.pos = at
				return p.errorf("key %q repeated", key)
			}
		}
		seen = append(seen, key)
		if p.peek() != ':' {
			return p.errorf("want ':' after key %q, got %s", key, p.describe())
		}
		p.pos++
		p.space()
		if err := field(key); err != nil {
			return within(err, key)
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.errorf("want ',' or '}' after %q, got %s", key, p.describe())
		}
	}
}

// array reads [value, ...], calling elem with p positioned at each value.
func (p *headerParser) array(elem func() error) error {
	if p.peek() != '[' {
		return p.errorf("want an array, got %s", p.describe())
	}
	p.pos++
	if p.peek() == ']' {
		p.pos++
		return nil
	}
	for i := 0; ; i++ {
		p.space()
		if err := elem(); err != nil {
			return within(err, "["+strconv.Itoa(i)+"]")
		}
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return nil
		default:
			return p.errorf("want ',' or ']' after element %d, got %s", i, p.describe())
		}
	}
}

func (p *headerParser) strs(v *[]string) error {
	if p.null() {
		*v = nil
		return nil
	}
	*v = []string{}
	return p.array(func() error {
		var s string
		err := p.str(&s)
		*v = append(*v, s)
		return err
	})
}

func (p *headerParser) ints(v *[]int) error {
	if p.null() {
		*v = nil
		return nil
	}
	*v = []int{}
	return p.array(func() error {
		var n int
		err := p.int(&n)
		*v = append(*v, n)
		return err
	})
}

func (p *headerParser) bool(v *bool) error {
	switch {
	case p.literal("true"):
		*v = true
	case p.literal("false"):
		*v = false
	default:
		return p.errorf("want a boolean, got %s", p.describe())
	}
	return nil
}

// str reads a JSON string. Unlike encoding/json, which substitutes U+FFFD,
// it rejects invalid UTF-8 and unpaired surrogate escapes: a model file
// with either is corrupt.
func (p *headerParser) str(v *string) error {
	if p.peek() != '"' {
		return p.errorf("want a string, got %s", p.describe())
	}
	p.pos++
	start := p.pos
	// Fast path: no escapes, the common case for vocabulary tokens.
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		if c == '"' {
			if !utf8.Valid(p.b[start:p.pos]) {
				return p.invalidUTF8(start)
			}
			*v = string(p.b[start:p.pos])
			p.pos++
			return nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.b[start:p.pos]...)
	if !utf8.Valid(buf) {
		return p.invalidUTF8(start)
	}
	for {
		if p.pos == len(p.b) {
			return p.errorf("unterminated string")
		}
		c := p.b[p.pos]
		switch {
		case c == '"':
			p.pos++
			*v = string(buf)
			return nil
		case c < 0x20:
			return p.errorf("control character %q in string", c)
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return err
			}
			buf = utf8.AppendRune(buf, r)
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.pos++
		default:
			r, n := utf8.DecodeRune(p.b[p.pos:])
			if r == utf8.RuneError && n == 1 {
				return p.errorf("invalid UTF-8 in string")
			}
			buf = append(buf, p.b[p.pos:p.pos+n]...)
			p.pos += n
		}
	}
}

func (p *headerParser) invalidUTF8(start int) error {
	for p.pos = start; ; {
		r, n := utf8.DecodeRune(p.b[p.pos:])
		if r == utf8.RuneError && n == 1 {
			return p.errorf("invalid UTF-8 in string")
		}
		p.pos += n
	}
}

// escape reads one backslash escape, a \uXXXX surrogate pair as one.
func (p *headerParser) escape() (rune, error) {
	if p.pos+1 == len(p.b) {
		return 0, p.errorf("unterminated string")
	}
	c := p.b[p.pos+1]
	if c != 'u' {
		var r rune
		switch c {
		case '"', '\\', '/':
			r = rune(c)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		default:
			return 0, p.errorf("invalid escape \\%s", string(rune(c)))
		}
		p.pos += 2
		return r, nil
	}
	r, err := p.hex4()
	if err != nil || !utf16.IsSurrogate(r) {
		return r, err
	}
	at := p.pos - 6
	if lo, err := p.hex4(); err == nil && lo >= 0xDC00 && lo <= 0xDFFF && r < 0xDC00 {
		return utf16.DecodeRune(r, lo), nil
	}
	p.pos = at
	return 0, p.errorf("unpaired surrogate in \\u escape")
}

// hex4 reads \uXXXX at pos.
func (p *headerParser) hex4() (rune, error) {
	if len(p.b)-p.pos < 6 || p.b[p.pos] != '\\' || p.b[p.pos+1] != 'u' {
		return 0, p.errorf("want a \\uXXXX escape")
	}
	var r rune
	for _, c := range p.b[p.pos+2 : p.pos+6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, p.errorf("invalid \\u escape")
		}
	}
	p.pos += 6
	return r, nil
}

// number reads a JSON number and returns its text and whether it has a
// fraction or an exponent.
func (p *headerParser) number() (string, bool, error) {
	p.space()
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	bad := func() (string, bool, error) {
		p.pos = start
		return "", false, p.errorf("malformed number")
	}
	if c := p.peek(); c != '-' && (c < '0' || c > '9') {
		return "", false, p.errorf("want a number, got %s", p.describe())
	}
	if p.b[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.b) && p.b[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return bad()
	}
	frac := false
	if p.pos < len(p.b) && p.b[p.pos] == '.' {
		p.pos++
		frac = true
		if digits() == 0 {
			return bad()
		}
	}
	if p.pos < len(p.b) && (p.b[p.pos] == 'e' || p.b[p.pos] == 'E') {
		p.pos++
		frac = true
		if p.pos < len(p.b) && (p.b[p.pos] == '+' || p.b[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return bad()
		}
	}
	return string(p.b[start:p.pos]), frac, nil
}

func (p *headerParser) int64(v *int64) error {
	start := p.pos
	s, frac, err := p.number()
	if err != nil {
		return err
	}
	if frac {
		p.pos = start
		return p.errorf("want an integer, got %s", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.pos = start
		return p.errorf("integer %s out of range", s)
	}
	*v = n
	return nil
}

func (p *headerParser) uint32(v *uint32) error {
	start := p.pos
	var n int64
	if err := p.int64(&n); err != nil {
		return err
	}
	if n < 0 || n > 1<<32-1 {
		p.pos = start
		return p.errorf("integer %d out of range 0..4294967295", n)
	}
	*v = uint32(n)
	return nil
}

func (p *headerParser) int(v *int) error {
	start := p.pos
	var n int64
	if err := p.int64(&n); err != nil {
		return err
	}
	if int64(int(n)) != n {
		p.pos = start
		return p.errorf("integer %d out of range", n)
	}
	*v = int(n)
	return nil
}

func (p *headerParser) float(v *float64) error {
	start := p.pos
	s, _, err := p.number()
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		p.pos = start
		return p.errorf("number %s out of range", s)
	}
	*v = f
	return nil
}
