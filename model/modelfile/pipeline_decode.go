package modelfile

import (
	"math"

	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// pipeline reads a BPE or Unigram tokenizer record (appendPipeline). Each
// list starts empty, not nil, as encoding/json leaves [] (the fuzz test
// holds the decoder to it), and a repeated key replaces the earlier list.
func (p *headerParser) pipeline(s **tokenizer.PipelineSpec) error {
	if p.null() {
		*s = nil
		return nil
	}
	*s = &tokenizer.PipelineSpec{}
	v := *s
	return p.object(func(key string) error {
		switch key {
		case "model":
			return p.str(&v.Model)
		case "merges":
			return p.int32s(&v.Merges)
		case "unk_token":
			return p.str(&v.UnkToken)
		case "continuing_subword_prefix":
			return p.str(&v.ContinuingSubwordPrefix)
		case "end_of_word_suffix":
			return p.str(&v.EndOfWordSuffix)
		case "fuse_unk":
			return p.bool(&v.FuseUnk)
		case "ignore_merges":
			return p.bool(&v.IgnoreMerges)
		case "byte_fallback":
			return p.bool(&v.ByteFallback)
		case "scores":
			v.Scores = []float64{}
			return p.array(func() error {
				var f float64
				err := p.float(&f)
				v.Scores = append(v.Scores, f)
				return err
			})
		case "unk_id":
			return p.int(&v.UnkID)
		case "normalizers":
			v.Normalizers = []tokenizer.NormalizerSpec{}
			return p.array(func() error {
				v.Normalizers = append(v.Normalizers, tokenizer.NormalizerSpec{})
				return p.normalizer(&v.Normalizers[len(v.Normalizers)-1])
			})
		case "pre_tokenizers":
			v.PreTokenizers = []tokenizer.PreTokenizerSpec{}
			return p.array(func() error {
				v.PreTokenizers = append(v.PreTokenizers, tokenizer.PreTokenizerSpec{})
				return p.preTokenizer(&v.PreTokenizers[len(v.PreTokenizers)-1])
			})
		case "added_tokens":
			v.Added = []tokenizer.AddedToken{}
			return p.array(func() error {
				v.Added = append(v.Added, tokenizer.AddedToken{})
				return p.addedToken(&v.Added[len(v.Added)-1])
			})
		case "single":
			return p.template(&v.Single)
		case "pair":
			return p.template(&v.Pair)
		case "trim_offsets":
			return p.bool(&v.TrimOffsets)
		case "add_prefix_space":
			return p.bool(&v.AddPrefixSpace)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) normalizer(n *tokenizer.NormalizerSpec) error {
	return p.object(func(key string) error {
		switch key {
		case "type":
			return p.str(&n.Type)
		case "charsmap":
			var s string
			if err := p.str(&s); err != nil {
				return err
			}
			b, ok := decodeBase64(s)
			if !ok {
				return p.errorf("invalid base64")
			}
			n.Charsmap = b
			return nil
		case "pattern":
			return p.str(&n.Pattern)
		case "content":
			return p.str(&n.Content)
		case "left":
			return p.bool(&n.Left)
		case "right":
			return p.bool(&n.Right)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) preTokenizer(t *tokenizer.PreTokenizerSpec) error {
	return p.object(func(key string) error {
		switch key {
		case "type":
			return p.str(&t.Type)
		case "add_prefix_space":
			return p.bool(&t.AddPrefixSpace)
		case "use_regex":
			return p.bool(&t.UseRegex)
		case "replacement":
			return p.str(&t.Replacement)
		case "prepend":
			return p.str(&t.Prepend)
		case "split":
			return p.bool(&t.Split)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) addedToken(a *tokenizer.AddedToken) error {
	return p.object(func(key string) error {
		switch key {
		case "id":
			return p.int32(&a.ID)
		case "content":
			return p.str(&a.Content)
		case "special":
			return p.bool(&a.Special)
		case "single_word":
			return p.bool(&a.SingleWord)
		case "lstrip":
			return p.bool(&a.LStrip)
		case "rstrip":
			return p.bool(&a.RStrip)
		case "normalized":
			return p.bool(&a.Normalized)
		}
		return p.unknown(key)
	})
}

func (p *headerParser) template(parts *[]tokenizer.TemplateSpec) error {
	*parts = []tokenizer.TemplateSpec{}
	return p.array(func() error {
		*parts = append(*parts, tokenizer.TemplateSpec{})
		t := &(*parts)[len(*parts)-1]
		return p.object(func(key string) error {
			switch key {
			case "sequence":
				return p.str(&t.Sequence)
			case "ids":
				return p.int32s(&t.IDs)
			case "type_id":
				return p.int32(&t.TypeID)
			}
			return p.unknown(key)
		})
	})
}

// int32s reads an array of int32s.
func (p *headerParser) int32s(v *[]int32) error {
	*v = []int32{}
	return p.array(func() error {
		var n int32
		err := p.int32(&n)
		*v = append(*v, n)
		return err
	})
}

func (p *headerParser) int32(v *int32) error {
	start := p.pos
	var n int64
	if err := p.int64(&n); err != nil {
		return err
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		p.pos = start
		return p.errorf("integer %d out of range", n)
	}
	*v = int32(n)
	return nil
}
