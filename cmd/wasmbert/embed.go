package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/xlnet/xlnetdir"
)

// embedBatch is how many stdin lines one Embed call takes: enough for
// length bucketing to pay off, few enough that output keeps streaming.
const embedBatch = 64

// modelFlags registers -m/--model on fs.
func modelFlags(fs *flag.FlagSet) *string {
	m := fs.String("model", checkpoint.DefaultModel, "model name, model file or checkpoint directory")
	fs.StringVar(m, "m", checkpoint.DefaultModel, "shorthand for --model")
	return m
}

// promptFlag registers --prompt on fs.
func promptFlag(fs *flag.FlagSet) *string {
	return fs.String("prompt", "", "put the model's prompt NAME before each text, as sentence-transformers' prompt_name does (e.g. query)")
}

// checkPrompt rejects a prompt name the model lacks, listing those it has
// (the engine's own error does not, to keep sorting out of the wasm engine).
func checkPrompt(e *engine.Engine, name string) error {
	prompts := e.Info().Prompts
	if _, ok := prompts[name]; ok || name == "" {
		return nil
	}
	if len(prompts) == 0 {
		return fmt.Errorf("prompt %q: the model has no prompts", name)
	}
	return fmt.Errorf("prompt %q: the model's prompts are %s", name, strings.Join(slices.Sorted(maps.Keys(prompts)), ", "))
}

// loadEngine resolves a model argument (name, model file or checkpoint
// directory) to a model file, converting into the cache if needed.
func loadEngine(ctx context.Context, model string) (*engine.Engine, error) {
	path, err := checkpoint.Resolve(ctx, model)
	if err != nil {
		return nil, err
	}
	return engine.LoadFile(path)
}

// runTokenize implements `wasmbert tokenize -m MODEL`.
func runTokenize(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("tokenize", flag.ContinueOnError)
	model := modelFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert tokenize [-m MODEL] < lines\n\nPrints {\"ids\":[...],\"tokens\":[...]} per line, special tokens included.")
		fs.PrintDefaults()
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return fmt.Errorf("tokenize: %w", err)
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	err = forEachLine(stdin, 1, func(lines []string) error {
		t, err := e.Tokenize(lines[0])
		if err != nil {
			return err
		}
		return enc.Encode(struct {
			IDs    []int32  `json:"ids"`
			Tokens []string `json:"tokens"`
		}{t.IDs, t.Tokens})
	})
	if err != nil {
		return fmt.Errorf("tokenize: %w", err)
	}
	return out.Flush()
}

// runEmbed implements `wasmbert embed -m MODEL [--pooling P] [--layer N]
// [--no-normalize] [--max-length N] [--chunk SIZE [--overlap N]]`. A line
// cut to the maximum length is named in a warning on stderr.
func runEmbed(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	model := modelFlags(fs)
	pool := fs.String("pooling", "", "mean, cls, max or lasttoken (default: the model's)")
	layer := fs.String("layer", "", "hidden state to pool: N, -N, sum:K, mean:K or concat:K (default: last)")
	noNorm := fs.Bool("no-normalize", false, "do not L2-normalize the vectors")
	dims := fs.Int("dimensions", 0, "keep the first N dimensions and renormalize (Matryoshka)")
	maxLen := fs.Int("max-length", 0, "longest sequence in tokens, special tokens included (default: the model's)")
	chunk := fs.Int("chunk", 0, "embed lines longer than the maximum length as windows of SIZE tokens, averaged (0: the longest window)")
	overlap := fs.Int("overlap", 0, "tokens shared by consecutive --chunk windows (default: SIZE/8)")
	prompt := promptFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert embed [-m MODEL] [--prompt NAME] [--pooling mean|cls|max|lasttoken] [--layer N] [--no-normalize]\n"+
			"                     [--max-length N] [--chunk SIZE [--overlap N]] < lines\n\n"+
			"Prints {\"embedding\":[...]} per line. Without --chunk, a line longer than the maximum length\n"+
			"is cut to it and named in a warning on stderr.")
		fs.PrintDefaults()
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if xlnetdir.IsXLNet(*model) {
		if *layer != "" || *dims != 0 || *prompt != "" || set["max-length"] || set["chunk"] || set["overlap"] {
			return fmt.Errorf("embed: %s is an XLNet checkpoint: --layer, --dimensions, --prompt, --max-length and --chunk are not supported for it yet", *model)
		}
		return embedXLNet(ctx, *model, *pool, *noNorm, stdin, stdout)
	}
	o := engine.EmbedOptions{Pooling: *pool, Layer: *layer, Dimensions: *dims, Prompt: *prompt, MaxLength: *maxLen}
	if *noNorm {
		f := false
		o.Normalize = &f
	}
	if set["max-length"] && *maxLen == 0 {
		return fmt.Errorf("embed: --max-length 0: want a length in tokens (leave the flag out for the model's)")
	}
	// Sizes not given stay unset: the engine owns the defaults, and an
	// explicit --overlap 0 means disjoint windows.
	switch {
	case set["chunk"]:
		o.Chunk = &engine.Chunking{Size: *chunk}
		if set["overlap"] {
			o.Chunk.Overlap = overlap
		}
	case set["overlap"]:
		return fmt.Errorf("embed: --overlap needs --chunk")
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	if err := checkPrompt(e, *prompt); err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	limit := e.Info().MaxLength
	if o.MaxLength != 0 {
		limit = o.MaxLength
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	line := 0
	err = forEachLine(stdin, embedBatch, func(lines []string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		embs, err := e.Embed(lines, o)
		if err != nil {
			return err
		}
		for _, em := range embs {
			line++
			if em.Truncated {
				fmt.Fprintf(stderr, "wasmbert: embed: line %d: %d tokens cut to the first %d (--max-length); use --chunk to embed it whole\n", line, em.FullTokens, limit)
			}
			if err := enc.Encode(struct {
				Embedding []float32 `json:"embedding"`
			}{em.Vector}); err != nil {
				return err
			}
		}
		return out.Flush()
	})
	if err != nil {
		return err // the engine's errors say "embed: " already; write errors name the file
	}
	return out.Flush()
}

// runSimilarity implements `wasmbert similarity -m MODEL TEXT1 TEXT2`.
func runSimilarity(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("similarity", flag.ContinueOnError)
	model := modelFlags(fs)
	prompt := promptFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert similarity [-m MODEL] [--prompt NAME] TEXT1 TEXT2\n\nPrints the cosine similarity of the two embeddings.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return fmt.Errorf("similarity: want two texts, got %d", fs.NArg())
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return fmt.Errorf("similarity: %w", err)
	}
	if err := checkPrompt(e, *prompt); err != nil {
		return fmt.Errorf("similarity: %w", err)
	}
	c, err := e.Similarity(fs.Arg(0), fs.Arg(1), engine.EmbedOptions{Prompt: *prompt})
	if err != nil {
		return fmt.Errorf("similarity: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%.6f\n", c)
	return err
}

func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%s: unexpected argument %q (texts are read from stdin)", fs.Name(), fs.Arg(0))
	}
	return nil
}

// forEachLine calls fn with up to n lines of r at a time, every line kept
// (an empty line is the empty text) without its line ending.
func forEachLine(r io.Reader, n int, fn func([]string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), engine.MaxTextBytes+2)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
		if len(lines) == n {
			if err := fn(lines); err != nil {
				return err
			}
			lines = lines[:0]
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if len(lines) > 0 {
		return fn(lines)
	}
	return nil
}
