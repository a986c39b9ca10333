// Package modelfile reads the wasmbert single-file model format (extension
// .wbm) and encodes its tensors; model/modelwriter writes whole files, with
// encoding/json, which the engine that links this package does without. A
// file is a fixed preamble, a JSON header describing the BERT
// configuration, the tokenizer, the pooling defaults and a table of tensors,
// then the tensor data in forward order.
//
// The layout (docs/model-format.md has the full description):
//
//	"WASMBERT"            8 bytes magic
//	version               u32 little endian (2)
//	header length N       u64 little endian
//	header CRC-32C        u32 little endian
//	header                N bytes of JSON, space padded so data starts 64-byte aligned
//	tensor data           each tensor at data start + offset (offsets 64-byte aligned)
//
// Tensors are stored in the order the encoder uses them (embeddings, layer 0
// to L-1, pooler) so an engine can build itself while the bytes arrive: the
// Decoder reads an io.Reader front to back and never seeks.
//
// Weights may be stored as f32, f16, i8 (symmetric, one scale per output
// row) or i4 (levels -8..7, one possibly negative scale per group of
// GroupSize inputs, chosen by a clipping search; docs/model-format.md). The
// Decoder checks every size against the tensor's shape and dtype and against
// fixed limits before it allocates, and verifies each tensor's CRC-32C, so a
// corrupt or hostile file ends in an error, never in a panic or a huge
// allocation.
package modelfile
