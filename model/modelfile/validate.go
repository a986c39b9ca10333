package modelfile

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Validate checks the parts of a header the Decoder relies on: the
// tensor table must describe sizes that match shapes and dtypes, with
// aligned, increasing, non-overlapping offsets.
func (h *Header) Validate() error {
	if h.Format != FormatName {
		return errfmt.Errorf("format %q, want %q", h.Format, FormatName)
	}
	if h.Version != Version {
		return errfmt.Errorf("header version %d, want %d", h.Version, Version)
	}
	switch h.Pooling.Mode {
	case "mean", "cls", "max", "lasttoken":
	default:
		return errfmt.Errorf("pooling mode %q, want mean, cls, max or lasttoken", h.Pooling.Mode)
	}
	switch h.Model.ModelType {
	case "", "bert", "roberta", "xlm-roberta":
		if h.XLNet != nil {
			return errfmt.Errorf("xlnet key in the header of a model_type %q model", h.Model.ModelType)
		}
	case ModelTypeXLNet:
		if h.XLNet == nil {
			return errfmt.Errorf("model_type xlnet without the xlnet key")
		}
	default:
		return errfmt.Errorf("model_type %q not supported (want bert or none, roberta, xlm-roberta or xlnet)", h.Model.ModelType)
	}
	if len(h.Tensors) == 0 {
		return errfmt.Errorf("no tensors")
	}
	if len(h.Tensors) > maxTensors {
		return errfmt.Errorf("%d tensors, limit %d", len(h.Tensors), maxTensors)
	}
	seen := make(map[string]bool, len(h.Tensors))
	var end int64
	for _, t := range h.Tensors {
		if t.Name == "" {
			return errfmt.Errorf("tensor with empty name")
		}
		if seen[t.Name] {
			return errfmt.Errorf("tensor %s listed twice", t.Name)
		}
		seen[t.Name] = true
		if t.DType != I4 && t.GroupSize != 0 {
			return errfmt.Errorf("tensor %s: group_size set for dtype %s", t.Name, string(t.DType))
		}
		want, err := dataSize(t.DType, t.Shape, t.GroupSize)
		if err != nil {
			return errfmt.Errorf("tensor %s: %w", t.Name, err)
		}
		if t.Size != want {
			return errfmt.Errorf("tensor %s: size %d, want %d for %s %v", t.Name, t.Size, want, string(t.DType), t.Shape)
		}
		if t.Offset < end || t.Offset > maxOffset || t.Offset%Alignment != 0 {
			return errfmt.Errorf("tensor %s: offset %d not aligned or overlapping (previous end %d)", t.Name, t.Offset, end)
		}
		end = t.Offset + t.Size
	}
	return nil
}
