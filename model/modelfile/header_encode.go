package modelfile

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// marshalJSON encodes the header byte for byte as encoding/json's Marshal
// would (field order, omitempty, HTML-safe escapes, float format), so files
// stay identical to those written before the package dropped encoding/json
// to keep it out of the WebAssembly engine. A test holds it to that.
func (h *Header) marshalJSON() ([]byte, error) {
	if f := h.Model.LayerNormEps; math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errfmt.Errorf("model.layer_norm_eps: unsupported value %v", f)
	}
	m, t := &h.Model, &h.Tokenizer
	b := make([]byte, 0, 1024+16*len(t.Vocab)+256*len(h.Tensors))
	b = append(b, `{"format":`...)
	b = appendJSONString(b, h.Format)
	b = appendJSONInt(b, `,"version":`, int64(h.Version))

	b = appendJSONInt(b, `,"model":{"vocab_size":`, int64(m.VocabSize))
	b = appendJSONInt(b, `,"hidden_size":`, int64(m.HiddenSize))
	b = appendJSONInt(b, `,"num_hidden_layers":`, int64(m.NumHiddenLayers))
	b = appendJSONInt(b, `,"num_attention_heads":`, int64(m.NumAttentionHeads))
	b = appendJSONInt(b, `,"intermediate_size":`, int64(m.IntermediateSize))
	b = appendJSONInt(b, `,"max_position_embeddings":`, int64(m.MaxPositionEmbeddings))
	b = appendJSONInt(b, `,"type_vocab_size":`, int64(m.TypeVocabSize))
	b = append(b, `,"layer_norm_eps":`...)
	b = appendJSONFloat(b, m.LayerNormEps)
	b = append(b, `,"hidden_act":`...)
	b = appendJSONString(b, m.HiddenAct)
	b = appendJSONInt(b, `,"pad_token_id":`, int64(m.PadTokenID))
	b = appendOptString(b, `,"model_type":`, m.ModelType)

	b = append(b, `},"tokenizer":{"type":`...)
	b = appendJSONString(b, t.Type)
	b = append(b, `,"vocab":`...)
	b = appendJSONStrings(b, t.Vocab)
	b = appendJSONBool(b, `,"do_lower_case":`, t.DoLowerCase)
	if t.StripAccents == nil {
		b = append(b, `,"strip_accents":null`...)
	} else {
		b = appendJSONBool(b, `,"strip_accents":`, *t.StripAccents)
	}
	b = appendJSONBool(b, `,"tokenize_chinese_chars":`, t.TokenizeChineseChars)
	b = appendJSONBool(b, `,"keep_control_chars":`, t.KeepControlChars)
	b = appendJSONInt(b, `,"max_input_chars_per_word":`, int64(t.MaxInputCharsPerWord))
	for _, f := range []struct{ key, v string }{
		{`,"unk_token":`, t.UnkToken}, {`,"sep_token":`, t.SepToken}, {`,"pad_token":`, t.PadToken},
		{`,"cls_token":`, t.ClsToken}, {`,"mask_token":`, t.MaskToken},
	} {
		b = append(b, f.key...)
		b = appendJSONString(b, f.v)
	}
	if len(t.AddedTokens) > 0 {
		b = append(b, `,"added_tokens":`...)
		b = appendJSONStrings(b, t.AddedTokens)
	}
	b = appendJSONInt(b, `,"model_max_length":`, int64(t.ModelMaxLength))
	b = appendJSONInt(b, `,"max_seq_length":`, int64(t.MaxSeqLength))
	if t.Pipeline != nil {
		b = append(b, `,"pipeline":`...)
		var err error
		if b, err = appendPipeline(b, t.Pipeline); err != nil {
			return nil, err
		}
	}

	b = append(b, `},"pooling":{"mode":`...)
	b = appendJSONString(b, h.Pooling.Mode)
	b = appendJSONBool(b, `,"normalize":`, h.Pooling.Normalize)

	b = append(b, `},"tensors":`...)
	if h.Tensors == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, ti := range h.Tensors {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendJSONString(b, ti.Name)
			b = append(b, `,"dtype":`...)
			b = appendJSONString(b, string(ti.DType))
			b = append(b, `,"shape":`...)
			if ti.Shape == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for k, d := range ti.Shape {
					if k > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(d), 10)
				}
				b = append(b, ']')
			}
			b = appendJSONInt(b, `,"offset":`, ti.Offset)
			b = appendJSONInt(b, `,"size":`, ti.Size)
			b = appendJSONInt(b, `,"crc32c":`, int64(ti.CRC32C))
			if ti.GroupSize != 0 {
				b = appendJSONInt(b, `,"group_size":`, int64(ti.GroupSize))
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(h.Source) > 0 {
		b = append(b, `,"source":{`...)
		keys := make([]string, 0, len(h.Source))
		for k := range h.Source {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, h.Source[k])
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func appendJSONInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(b, key...), v, 10)
}

func appendJSONBool(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(append(b, key...), v)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONFloat formats f as encoding/json does: shortest repr, with an
// exponent only outside [1e-6, 1e21), and no leading zero in the exponent.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// appendJSONString quotes s as encoding/json does: invalid UTF-8 bytes
// become U+FFFD, and <, >, &, U+2028 and U+2029 are escaped so the header is safe
// to embed in HTML and JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c == '\b':
				b = append(b, `\b`...)
			case c == '\f':
				b = append(b, `\f`...)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
