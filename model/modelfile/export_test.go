package modelfile

// Internals the external tests (package modelfile_test, which may import
// modelwriter) reach.
var (
	DecodeHeader = decodeHeader
	ReadN        = readN
	RandomMatrix = randomMatrix
	MaxAbs       = maxAbs
)

const EagerAlloc = eagerAlloc
const MaxHeaderSize = maxHeaderSize
