package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// The tagger sees a word as the hidden state of its first subword (as HF
// token classification labels first subwords) in the fourth of six layers:
// on model/heads/testdata/ner.jsonl it gives entity F1 0.88 against 0.77
// for the last layer, which all-MiniLM-L6-v2 tuned for sentence pooling.
// A head saved with --save must be applied with these same settings.
const (
	nerWords = "first"
	nerLayer = "-3"
)

// nerResult is one output line of `wasmbert ner`. Offsets count Unicode
// code points, like the training file.
type nerResult struct {
	Text     string      `json:"text"`
	Entities []nerEntity `json:"entities"`
}

type nerEntity struct {
	Label string  `json:"label"`
	Start int     `json:"start"`
	End   int     `json:"end"`
	Text  string  `json:"text"`
	Score float32 `json:"score"`
}

// runNER implements `wasmbert ner`: train a BIO tagger on word vectors of
// a JSONL file of texts with entity spans (or load a saved head), then
// print the entities of each stdin line as a JSON line.
func runNER(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("ner", flag.ContinueOnError)
	train := fs.String("train", "", `training data: {"text", "spans": [{"start","end","label"}]} lines, code point offsets`)
	model := modelFlags(fs)
	head := fs.String("head", "", "apply a head instead of training: a head file (--save, or X.head.json from `wasmbert convert`) or an HF fine-tuned token-classification checkpoint directory, whose own encoder is then the default model")
	save := fs.String("save", "", "write the trained head to this file")
	opts := headTrainFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert ner (--train FILE.jsonl | --head HEAD.json|DIR) [-m MODEL] < texts\n\nPrints one JSON line {\"text\",\"entities\"} per input line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*train == "") == (*head == "") || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("ner: want exactly one of --train and --head, and no positional arguments")
	}
	src := resolveHead(*head)
	var tg *heads.Tagger
	var err error
	if *head != "" {
		if tg, err = loadHeadFrom(src, heads.LoadTagger, heads.LoadHFTagger); err != nil {
			return fmt.Errorf("ner: %w", err)
		}
	}
	e, err := loadEngine(ctx, modelFor(fs, *model, src))
	if err != nil {
		return err
	}
	features := map[string]string{"input": "words", "words": nerWords, "layer": nerLayer}
	if tg != nil {
		if err := checkInputs(*head, tg.Inputs(), e); err != nil {
			return fmt.Errorf("ner: %w", err)
		}
		if len(tg.Features) > 0 {
			features = tg.Features
		}
	} else if tg, err = trainTagger(e, *train, *opts); err != nil {
		return err
	}
	embed, err := wordOptions(*head, features)
	if err != nil {
		return fmt.Errorf("ner: %w", err)
	}
	tg.Features = features
	if *save != "" {
		if err := saveHead(*save, tg.Save); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	return forEachText(stdin, func(texts []string) error {
		words, err := wordTokens(e, texts, embed)
		if err != nil {
			return err
		}
		for i, text := range texts {
			ents, err := tg.Entities(text, words[i])
			if err != nil {
				return fmt.Errorf("ner: %w", err)
			}
			res := nerResult{Text: text, Entities: []nerEntity{}}
			for _, en := range ents {
				res.Entities = append(res.Entities, nerEntity{
					Label: en.Label, Text: en.Text, Score: en.Score,
					Start: utf8.RuneCountInString(text[:en.Start]), End: utf8.RuneCountInString(text[:en.End]),
				})
			}
			if err := enc.Encode(res); err != nil {
				return err
			}
		}
		return nil
	})
}

func trainTagger(e *engine.Engine, path string, o heads.TrainOptions) (*heads.Tagger, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ner: %w", err)
	}
	defer f.Close()
	examples, err := heads.ReadSpansJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("ner: %s: %w", path, err)
	}
	texts := make([]string, len(examples))
	for i, ex := range examples {
		texts[i] = ex.Text
	}
	words, err := wordTokens(e, texts, engine.EmbedOptions{Words: nerWords, Layer: nerLayer})
	if err != nil {
		return nil, err
	}
	vectors := make([][][]float32, len(words))
	tags := make([][]string, len(words))
	for i, ws := range words {
		if tags[i], err = heads.TokenTags(ws, examples[i].Spans); err != nil {
			return nil, fmt.Errorf("ner: %s: example %d: %w", path, i+1, err)
		}
		for _, w := range ws {
			vectors[i] = append(vectors[i], w.Vector)
		}
	}
	return heads.TrainTagger(vectors, tags, o)
}

// wordTokens embeds texts and returns one tagger token per word.
func wordTokens(e *engine.Engine, texts []string, o engine.EmbedOptions) ([][]heads.Token, error) {
	embs, err := e.Embed(texts, o)
	if err != nil {
		return nil, err
	}
	out := make([][]heads.Token, len(embs))
	for i, em := range embs {
		for w, wv := range em.Words {
			out[i] = append(out[i], heads.Token{Vector: wv.Vector, Start: wv.Start, End: wv.End, Word: w})
		}
	}
	return out, nil
}
