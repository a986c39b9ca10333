package modelfile

// Limits that bound what a Decoder will believe. They are far above any
// BERT model that makes sense in a browser and far below what would let a
// forged header exhaust memory.
const (
	// maxHeaderSize bounds the JSON header (a 250k-token vocabulary is ~5 MB).
	maxHeaderSize = 64 << 20
	// maxElements bounds the element count of one tensor.
	maxElements = 1 << 31
	// maxTensors bounds the tensor table.
	maxTensors = 1 << 16
	// maxOffset bounds a tensor's offset in the data section (1 TiB).
	maxOffset = 1 << 40
	// maxGroupSize bounds the i4 group size.
	maxGroupSize = 1 << 16
	// eagerAlloc is the largest buffer allocated before its bytes arrive;
	// larger reads grow their buffer as data comes in, so a truncated stream
	// claiming a huge tensor costs only what it actually delivers.
	eagerAlloc = 4 << 20
)
