package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/faq"
	"github.com/wasmbert/wasmbert/model/similarity"
)

type faqAnswer struct {
	Query string `json:"query"`
	faq.Result
}

type faqPair struct {
	faq.Pair
	A string `json:"a"`
	B string `json:"b"`
}

type faqNeighbours struct {
	Text       string         `json:"text"`
	Neighbours []faqNeighbour `json:"neighbours"`
}

type faqNeighbour struct {
	Index int     `json:"index"`
	Text  string  `json:"text"`
	Score float32 `json:"score"`
}

type faqPoint struct {
	Text   string    `json:"text"`
	Coords []float32 `json:"coords"`
}

// runFAQ implements `wasmbert faq`: by default it answers each stdin line
// with the closest FAQ question; --duplicates, --neighbours and --pca work
// on the stdin lines as a list instead.
func runFAQ(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("faq", flag.ContinueOnError)
	file := fs.String("faq", "", "FAQ: question<TAB>answer lines")
	model := modelFlags(fs)
	threshold := fs.Float64("threshold", faq.DefaultThreshold, "cosine below which a query matches no question")
	dups := fs.Float64("duplicates", 0, "print pairs of input lines with cosine ≥ this value")
	neighbours := fs.Int("neighbours", 0, "print the K nearest other input lines of each line")
	pca := fs.Int("pca", 0, "print each input line projected on the first 2 or 3 principal components")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert faq --faq FILE.tsv [-m MODEL] < queries\n       wasmbert faq (--duplicates T | --neighbours K | --pca 2|3) [-m MODEL] < texts")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	modes := 0
	for _, set := range []bool{*file != "", *dups > 0, *neighbours > 0, *pca > 0} {
		if set {
			modes++
		}
	}
	if modes != 1 || fs.NArg() > 0 || *pca > 0 && *pca != 2 && *pca != 3 {
		fs.Usage()
		return fmt.Errorf("faq: want exactly one of --faq, --duplicates, --neighbours, --pca 2|3 and no positional arguments")
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)

	if *file != "" {
		ix, err := faqIndex(e, *file)
		if err != nil {
			return err
		}
		return forEachText(os.Stdin, func(queries []string) error {
			x, err := sentenceVectors(e, queries, engine.EmbedOptions{})
			if err != nil {
				return err
			}
			for i, q := range queries {
				r, err := ix.Match(x[i], float32(*threshold))
				if err != nil {
					return err
				}
				if err := enc.Encode(faqAnswer{Query: q, Result: r}); err != nil {
					return err
				}
			}
			return nil
		})
	}

	// The list modes compare every line with every other, so read them all.
	var texts []string
	if err := forEachText(os.Stdin, func(b []string) error { texts = append(texts, b...); return nil }); err != nil {
		return err
	}
	if len(texts) < 2 {
		return fmt.Errorf("faq: need at least 2 input lines, got %d", len(texts))
	}
	x, err := sentenceVectors(e, texts, engine.EmbedOptions{})
	if err != nil {
		return err
	}
	switch {
	case *dups > 0:
		pairs, err := faq.Duplicates(x, float32(*dups))
		if err != nil {
			return err
		}
		for _, p := range pairs {
			if err := enc.Encode(faqPair{Pair: p, A: texts[p.I], B: texts[p.J]}); err != nil {
				return err
			}
		}
	case *neighbours > 0:
		nb, err := faq.Neighbours(x, *neighbours)
		if err != nil {
			return err
		}
		for i, ms := range nb {
			out := faqNeighbours{Text: texts[i], Neighbours: []faqNeighbour{}}
			for _, m := range ms {
				out.Neighbours = append(out.Neighbours, faqNeighbour{Index: m.Index, Text: texts[m.Index], Score: m.Score})
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
		}
	default:
		p, err := similarity.FitPCA(x, *pca)
		if err != nil {
			return err
		}
		for i, v := range x {
			c, err := p.Transform(v)
			if err != nil {
				return err
			}
			if err := enc.Encode(faqPoint{Text: texts[i], Coords: c}); err != nil {
				return err
			}
		}
	}
	return nil
}

func faqIndex(e *engine.Engine, path string) (*faq.Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("faq: %w", err)
	}
	defer f.Close()
	entries, err := faq.ReadTSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	questions := make([]string, len(entries))
	for i, en := range entries {
		questions[i] = en.Question
	}
	x, err := sentenceVectors(e, questions, engine.EmbedOptions{})
	if err != nil {
		return nil, err
	}
	return faq.NewIndex(entries, x)
}
