package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/xlnet/xlnetdir"
)

// embedXLNet is `wasmbert embed -m DIR` for an XLNet checkpoint directory,
// which runs in Go on the HF files, padded on the left as transformers pads
// XLNet (a converted file, `wasmbert convert`, runs on the engine): the
// folder's pooling (mean without sentence-transformers modules) unless pool
// says mean, lasttoken, cls or max, L2-normalized unless noNorm.
func embedXLNet(ctx context.Context, dir, pool string, noNorm bool, stdin io.Reader, stdout io.Writer) error {
	o := xlnetdir.Options{Normalize: !noNorm, Pooling: pooling.Mode(pool)}
	e, err := xlnetdir.Load(dir)
	if err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	err = forEachLine(stdin, embedBatch, func(lines []string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		vecs, err := e.Embed(lines, o)
		if err != nil {
			return fmt.Errorf("embed: %w", err)
		}
		for _, v := range vecs {
			if err := enc.Encode(struct {
				Embedding []float32 `json:"embedding"`
			}{v}); err != nil {
				return err
			}
		}
		return out.Flush()
	})
	if err != nil {
		return err
	}
	return out.Flush()
}
