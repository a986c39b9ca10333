//go:build wasm

package modelfile

func sum256(data []byte) [32]byte { return sha256Sum(data) }
