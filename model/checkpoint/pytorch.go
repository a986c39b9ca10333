package checkpoint

import (
	"fmt"

	"github.com/nlpodyssey/gopickle/pytorch"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/wasmbert/wasmbert/internal/safetensors"
)

// readPytorch reads a pytorch_model.bin state dict (zip + pickle, or the
// legacy format) as float32 tensors.
func readPytorch(path string) (map[string]Weight, error) {
	obj, err := pytorch.Load(path)
	if err != nil {
		return nil, err
	}
	dict, ok := obj.(*types.OrderedDict)
	if !ok {
		if d, ok2 := obj.(*types.Dict); ok2 {
			return weightsFromDict(d)
		}
		return nil, fmt.Errorf("top-level object is %T, want a state dict", obj)
	}
	out := make(map[string]Weight, dict.Len())
	for e := dict.List.Front(); e != nil; e = e.Next() {
		entry := e.Value.(*types.OrderedDictEntry)
		if err := addTorchTensor(out, entry.Key, entry.Value); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func weightsFromDict(d *types.Dict) (map[string]Weight, error) {
	out := make(map[string]Weight, d.Len())
	for _, e := range *d {
		if err := addTorchTensor(out, e.Key, e.Value); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func addTorchTensor(out map[string]Weight, key, value any) error {
	name, ok := key.(string)
	if !ok {
		return fmt.Errorf("state dict key %v is %T, want a string", key, key)
	}
	t, ok := value.(*pytorch.Tensor)
	if !ok {
		return fmt.Errorf("state dict entry %s is %T, want a tensor", name, value)
	}
	var src []float32
	switch s := t.Source.(type) {
	case *pytorch.FloatStorage:
		src = s.Data
	case *pytorch.HalfStorage:
		src = s.Data
	case *pytorch.BFloat16Storage:
		src = s.Data
	case *pytorch.LongStorage:
		// position_ids buffers are int64; they are not weights.
		if isBuffer(name) {
			return nil
		}
		return fmt.Errorf("tensor %s: int64 storage, want floating point", name)
	default:
		return fmt.Errorf("tensor %s: storage %T not supported (want float32, float16 or bfloat16)", name, t.Source)
	}
	data, err := gatherStrided(src, t.StorageOffset, t.Size, t.Stride)
	if err != nil {
		return fmt.Errorf("tensor %s: %w", name, err)
	}
	out[name] = Weight{Shape: append([]int(nil), t.Size...), Data: data}
	return nil
}

// gatherStrided copies a (possibly non-contiguous) view out of its storage
// in row-major order.
func gatherStrided(src []float32, offset int, size, stride []int) ([]float32, error) {
	if len(size) != len(stride) {
		return nil, fmt.Errorf("size %v and stride %v differ in rank", size, stride)
	}
	n, err := safetensors.ElementCount(size)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n)
	idx := make([]int, len(size))
	for i := range out {
		pos := offset
		for d, k := range idx {
			pos += k * stride[d]
		}
		if pos < 0 || pos >= len(src) {
			return nil, fmt.Errorf("view (offset %d, size %v, stride %v) outside its %d-element storage", offset, size, stride, len(src))
		}
		out[i] = src[pos]
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < size[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, nil
}
