package modelfile

import (
	"encoding/base64"
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// appendPipeline encodes a BPE or Unigram tokenizer record as encoding/json
// would (see marshalJSON).
func appendPipeline(b []byte, s *tokenizer.PipelineSpec) ([]byte, error) {
	b = append(b, `{"model":`...)
	b = appendJSONString(b, s.Model)
	if len(s.Merges) > 0 {
		b = append(b, `,"merges":[`...)
		for i, id := range s.Merges {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONInt(b, "", int64(id))
		}
		b = append(b, ']')
	}
	b = appendOptString(b, `,"unk_token":`, s.UnkToken)
	b = appendOptString(b, `,"continuing_subword_prefix":`, s.ContinuingSubwordPrefix)
	b = appendOptString(b, `,"end_of_word_suffix":`, s.EndOfWordSuffix)
	b = appendOptBool(b, `,"fuse_unk":`, s.FuseUnk)
	b = appendOptBool(b, `,"ignore_merges":`, s.IgnoreMerges)
	b = appendOptBool(b, `,"byte_fallback":`, s.ByteFallback)
	if len(s.Scores) > 0 {
		b = append(b, `,"scores":[`...)
		for i, f := range s.Scores {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, errfmt.Errorf("tokenizer.pipeline.scores[%d]: unsupported value %v", i, f)
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONFloat(b, f)
		}
		b = append(b, ']')
	}
	b = appendJSONInt(b, `,"unk_id":`, int64(s.UnkID))
	if len(s.Normalizers) > 0 {
		b = append(b, `,"normalizers":[`...)
		for i, n := range s.Normalizers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, n.Type)
			if len(n.Charsmap) > 0 {
				b = append(b, `,"charsmap":"`...)
				b = base64.StdEncoding.AppendEncode(b, n.Charsmap)
				b = append(b, '"')
			}
			b = appendOptString(b, `,"pattern":`, n.Pattern)
			b = appendOptString(b, `,"content":`, n.Content)
			b = appendOptBool(b, `,"left":`, n.Left)
			b = appendOptBool(b, `,"right":`, n.Right)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(s.PreTokenizers) > 0 {
		b = append(b, `,"pre_tokenizers":[`...)
		for i, p := range s.PreTokenizers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, p.Type)
			b = appendOptBool(b, `,"add_prefix_space":`, p.AddPrefixSpace)
			b = appendOptBool(b, `,"use_regex":`, p.UseRegex)
			b = appendOptString(b, `,"replacement":`, p.Replacement)
			b = appendOptString(b, `,"prepend":`, p.Prepend)
			b = appendOptBool(b, `,"split":`, p.Split)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(s.Added) > 0 {
		b = append(b, `,"added_tokens":[`...)
		for i, a := range s.Added {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONInt(b, `{"id":`, int64(a.ID))
			b = append(b, `,"content":`...)
			b = appendJSONString(b, a.Content)
			b = appendOptBool(b, `,"special":`, a.Special)
			b = appendOptBool(b, `,"single_word":`, a.SingleWord)
			b = appendOptBool(b, `,"lstrip":`, a.LStrip)
			b = appendOptBool(b, `,"rstrip":`, a.RStrip)
			b = appendOptBool(b, `,"normalized":`, a.Normalized)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendTemplate(b, `,"single":`, s.Single)
	b = appendTemplate(b, `,"pair":`, s.Pair)
	b = appendOptBool(b, `,"trim_offsets":`, s.TrimOffsets)
	b = appendOptBool(b, `,"add_prefix_space":`, s.AddPrefixSpace)
	return append(b, '}'), nil
}

func appendTemplate(b []byte, key string, parts []tokenizer.TemplateSpec) []byte {
	if len(parts) == 0 {
		return b
	}
	b = append(append(b, key...), '[')
	for i, t := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		sep := ""
		if t.Sequence != "" {
			b = appendOptString(b, `"sequence":`, t.Sequence)
			sep = ","
		}
		if len(t.IDs) > 0 {
			b = append(b, sep+`"ids":[`...)
			for k, id := range t.IDs {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendJSONInt(b, "", int64(id))
			}
			b = append(b, ']')
			sep = ","
		}
		b = appendJSONInt(b, sep+`"type_id":`, int64(t.TypeID))
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendOptString and appendOptBool write key and value unless the value
// is empty, as omitempty does.
func appendOptString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendJSONString(append(b, key...), v)
}

func appendOptBool(b []byte, key string, v bool) []byte {
	if !v {
		return b
	}
	return appendJSONBool(b, key, v)
}
