package modelfile

// Alignment of the data section and of every tensor in it.
const Alignment = 64

// PreambleSize is magic + version + header length + header CRC32C.
const PreambleSize = 8 + 4 + 8 + 4
